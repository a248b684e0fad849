"""Every Django form renders as GOV.UK Design System markup, errors and hints included."""

import datetime

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template

from townhall.core.forms import GovukDateInput

COLOURS = [("red", "Red"), ("blue", "Blue")]


class EveryWidgetForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on your bill")
    email = forms.EmailField()
    age = forms.IntegerField(required=False)
    website = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput)
    comments = forms.CharField(widget=forms.Textarea)
    ward = forms.ChoiceField(choices=COLOURS)
    colour = forms.ChoiceField(choices=COLOURS, widget=forms.RadioSelect, help_text="Pick one")
    colours = forms.MultipleChoiceField(choices=COLOURS, widget=forms.CheckboxSelectMultiple)
    agree = forms.BooleanField(label="I agree")
    born = forms.DateField(widget=GovukDateInput, label="Date of birth")
    evidence = forms.FileField()
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something is wrong with the whole form")


def html(form) -> str:
    return str(form)


def group(markup: str, control_id: str) -> str:
    """The outermost form group holding the element with `control_id`."""
    for chunk in markup.split('\n<div class="govuk-form-group')[1:]:
        if f'id="{control_id}' in chunk:
            return chunk
    raise AssertionError(f"no form group contains {control_id}")


@pytest.mark.parametrize(
    ("control_id", "opening", "govuk_class"),
    [
        ("id_name", '<input type="text" name="name"', "govuk-input"),
        ("id_email", '<input type="email" name="email"', "govuk-input"),
        ("id_age", '<input type="number" name="age"', "govuk-input"),
        ("id_website", '<input type="url" name="website"', "govuk-input"),
        ("id_secret", '<input type="password" name="secret"', "govuk-input"),
        ("id_comments", '<textarea name="comments"', "govuk-textarea"),
        ("id_ward", '<select name="ward"', "govuk-select"),
        ("id_evidence", '<input type="file" name="evidence"', "govuk-file-upload"),
        ("id_agree", '<input type="checkbox" name="agree"', "govuk-checkboxes__input"),
    ],
)
def test_single_controls_render_with_their_govuk_class_and_label(control_id, opening, govuk_class):
    markup = group(html(EveryWidgetForm()), control_id)
    control = markup[markup.index(opening) :].split(">")[0]
    assert f'class="{govuk_class}"' in control
    assert '<label class="govuk-label' in markup and f'for="{control_id}"' in markup


def test_hint_is_shown_and_described_by_the_control():
    markup = html(EveryWidgetForm())
    assert (
        '<div id="id_name_helptext" class="govuk-hint">As it appears on your bill</div>' in markup
    )
    assert 'aria-describedby="id_name_helptext"' in group(markup, "id_name")


def test_optional_fields_say_so_in_their_label():
    markup = html(EveryWidgetForm())
    assert "Age (optional)</label>" in markup
    assert "Email (optional)" not in markup
    assert "I agree (optional)" not in markup


def test_radios_render_in_a_fieldset_with_a_legend_and_hint():
    markup = group(html(EveryWidgetForm()), "id_colour")
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_colour_helptext">' in markup
    assert '<legend class="govuk-fieldset__legend">Colour</legend>' in markup
    assert 'class="govuk-radios" data-module="govuk-radios"' in markup
    assert (
        '<input class="govuk-radios__input" id="id_colour_0" name="colour" type="radio" value="red">'
        in markup
    )
    assert '<label class="govuk-label govuk-radios__label" for="id_colour_1">Blue</label>' in markup


def test_checkboxes_render_in_a_fieldset_and_keep_what_was_ticked():
    form = EveryWidgetForm(data={"colours": ["blue"]})
    markup = group(html(form), "id_colours")
    assert "<fieldset" in markup and "<legend" in markup
    assert 'id="id_colours_1" name="colours" type="checkbox" value="blue" checked>' in markup
    assert 'id="id_colours_0" name="colours" type="checkbox" value="red">' in markup


def test_date_input_renders_day_month_and_year_boxes_in_a_fieldset():
    form = EveryWidgetForm(initial={"born": datetime.date(1990, 7, 4)})
    markup = group(html(form), "id_born")
    assert "<legend" in markup and "Date of birth" in markup
    for part, value, width in [("day", 4, 2), ("month", 7, 2), ("year", 1990, 4)]:
        assert (
            f'class="govuk-input govuk-date-input__input govuk-input--width-{width}" '
            f'id="id_born_{part}" name="born_{part}" type="text" inputmode="numeric" value="{value}"'
        ) in markup


def test_date_input_reads_three_boxes_as_one_date():
    form = EveryWidgetForm(data={"born_day": "4", "born_month": "7", "born_year": "1990"})
    form.is_valid()
    assert "born" not in form.errors
    assert form.cleaned_data["born"] == datetime.date(1990, 7, 4)


def test_date_input_with_an_impossible_date_is_an_error_and_keeps_what_was_typed():
    form = EveryWidgetForm(data={"born_day": "31", "born_month": "2", "born_year": "2001"})
    markup = group(html(form), "id_born")
    assert form.errors["born"] == ["Enter a valid date."]
    assert 'value="31"' in markup and 'value="2001"' in markup
    assert "govuk-input--error" in markup


def test_hidden_fields_render_without_a_form_group():
    markup = html(EveryWidgetForm())
    assert '<input type="hidden" name="token" id="id_token">' in markup
    assert 'for="id_token"' not in markup


def test_field_errors_mark_the_group_and_control_and_are_described_by():
    form = EveryWidgetForm(data={"email": "not an email"})
    markup = html(form)
    email_group = group(markup, "id_email")
    assert email_group.startswith(" govuk-form-group--error")
    assert (
        '<p id="id_email_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Enter a valid email address.</p>'
    ) in email_group
    assert 'class="govuk-input govuk-input--error"' in email_group
    assert 'aria-describedby="id_email_error"' in email_group
    assert 'aria-invalid="true"' in email_group


@pytest.mark.parametrize(
    ("control_id", "error_class"),
    [
        ("id_comments", "govuk-textarea--error"),
        ("id_ward", "govuk-select--error"),
        ("id_evidence", "govuk-file-upload--error"),
    ],
)
def test_other_controls_carry_their_own_error_modifier(control_id, error_class):
    form = EveryWidgetForm(data={"ward": "green"}, files={})
    assert error_class in group(html(form), control_id)


def test_fieldset_is_described_by_hint_and_error_together():
    form = EveryWidgetForm(data={})
    markup = group(html(form), "id_colour")
    assert 'aria-describedby="id_colour_helptext id_colour_error"' in markup


def test_placeholders_are_not_rendered():
    class WithPlaceholder(forms.Form):
        email = forms.EmailField(widget=forms.EmailInput(attrs={"placeholder": "you@example.org"}))

    assert "placeholder" not in html(WithPlaceholder())


def test_a_width_class_given_by_the_widget_is_kept():
    class Postcode(forms.Form):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))

    assert 'class="govuk-input govuk-input--width-10"' in html(Postcode())


def render_summary(form) -> str:
    template = Template('{% include "components/error_summary.html" with form=form %}')
    return template.render(Context({"form": form}))


def test_error_summary_links_each_error_to_its_field():
    form = EveryWidgetForm(
        data={"email": "nope"}, files={"evidence": SimpleUploadedFile("a.txt", b"x")}
    )
    summary = render_summary(form)
    assert 'data-module="govuk-error-summary"' in summary
    assert "There is a problem" in summary
    assert '<a href="#id_email">Enter a valid email address.</a>' in summary
    assert '<a href="#id_colour_0">This field is required.</a>' in summary
    assert '<a href="#id_born_day">This field is required.</a>' in summary


def test_error_summary_links_non_field_errors_to_the_first_field():
    summary = render_summary(EveryWidgetForm(data={}))
    assert '<a href="#id_name">Something is wrong with the whole form</a>' in summary


def test_error_summary_is_empty_when_the_form_has_no_errors():
    assert render_summary(EveryWidgetForm()).strip() == ""


def test_other_multi_part_widgets_render_their_inputs_in_a_fieldset():
    class Appointment(forms.Form):
        when = forms.SplitDateTimeField()

    markup = html(Appointment())
    assert '<legend class="govuk-fieldset__legend">When</legend>' in markup
    assert markup.count('class="govuk-input"') == 2
    assert "govuk-radios" not in markup and "govuk-checkboxes" not in markup
