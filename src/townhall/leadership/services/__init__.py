"""Every write to leadership: the digital leaders, portfolios and the decisions register.

The rules staff can count on (docs/modules/leadership.md says the same):

- only people whom the gate lets do `leadership.manage_leaders` keep the list of who leads
  digital, and only those allowed `leadership.manage_decisions` keep portfolios and
  decisions;
- text people read is required in English, Welsh is optional; a decision's wards are
  core's wards, its data evidence datasets the open data catalogue has (whole, or a saved
  view or chart of one of their tables, given by its link), and its consultations public
  ones in participation;
- a decision is a draft until it is published; from then on it is public, and open data
  records each dataset it cites (the dataset's page lists it), kept in step on every edit;
- a call-in period ends on or after the day of the decision, and a called-in decision
  says why it was called in;
- only those allowed `leadership.manage_board` keep the digital board's meetings, agenda,
  papers, minutes and actions; a meeting is not held on a day still to come, a paper is a
  PDF or a link (not both), an exempt item names its paragraph of Schedule 12A, and an
  action has an owner among the leaders, falls due on or after its meeting and is done on
  a day between its meeting and today.

- only those allowed `leadership.manage_roadmap` keep the strategy and roadmap: an
  objective is in one of the guide's six areas, a project ends on or after it starts, its
  budget is in pence and never negative, and an amber or red status says why; every
  status is kept with its day, so a slip stays visible; a project is a draft until
  published. Those who keep the portfolios link one to its cabinet member's account.

Saves reach the audit log through its signals; publishing is recorded as an action.
"""

from ._common import (
    ASSESS_MATURITY,
    CHART_FIELDS,
    CITED_BY_APP,
    MANAGE_BOARD,
    MANAGE_DECISIONS,
    MANAGE_LEADERS,
    MANAGE_ROADMAP,
    PAPER_MAX_BYTES,
    AssessmentInvalid,
    BoardInvalid,
    DecisionInvalid,
    LeaderInvalid,
    LeadershipError,
    PortfolioInvalid,
    RoadmapInvalid,
)
from .assessments import (
    maturity_answer,
    maturity_assessment_publish,
    maturity_assessment_start,
    maturity_framework_load,
)
from .board import (
    agenda_item_create,
    agenda_item_edit,
    board_action_create,
    board_action_done,
    board_action_edit,
    board_meeting_create,
    board_meeting_edit,
)
from .comparison import compared_council_remove, scorecard_import
from .councillors import CouncillorInvalid, councillor_account_link
from .decisions import (
    DECISION_TEXT,
    DataCited,
    data_from_link,
    decision_create,
    decision_edit,
    decision_publish,
)
from .leaders import LEADER_TEXT, leader_create, leader_edit, leader_remove, portfolio_create
from .roadmap import (
    OBJECTIVE_TEXT,
    PROJECT_TEXT,
    benefit_actual,
    benefit_create,
    objective_save,
    portfolio_cabinet_member,
    programme_save,
    project_create,
    project_edit,
    project_rag_update,
    service_change_add,
    service_change_remove,
)

__all__ = [
    "ASSESS_MATURITY",
    "CHART_FIELDS",
    "CITED_BY_APP",
    "DECISION_TEXT",
    "LEADER_TEXT",
    "MANAGE_BOARD",
    "MANAGE_DECISIONS",
    "MANAGE_LEADERS",
    "MANAGE_ROADMAP",
    "OBJECTIVE_TEXT",
    "PAPER_MAX_BYTES",
    "PROJECT_TEXT",
    "AssessmentInvalid",
    "BoardInvalid",
    "CouncillorInvalid",
    "DataCited",
    "DecisionInvalid",
    "LeaderInvalid",
    "LeadershipError",
    "PortfolioInvalid",
    "RoadmapInvalid",
    "agenda_item_create",
    "agenda_item_edit",
    "benefit_actual",
    "benefit_create",
    "board_action_create",
    "board_action_done",
    "board_action_edit",
    "board_meeting_create",
    "board_meeting_edit",
    "compared_council_remove",
    "councillor_account_link",
    "data_from_link",
    "decision_create",
    "decision_edit",
    "decision_publish",
    "leader_create",
    "leader_edit",
    "leader_remove",
    "maturity_answer",
    "maturity_assessment_publish",
    "maturity_assessment_start",
    "maturity_framework_load",
    "objective_save",
    "portfolio_cabinet_member",
    "portfolio_create",
    "programme_save",
    "project_create",
    "project_edit",
    "project_rag_update",
    "scorecard_import",
    "service_change_add",
    "service_change_remove",
]
