"""A module installed without a manifest and with a model that points at a person, left
undeclared: start-up must refuse it (see test_personal_data_contract)."""
