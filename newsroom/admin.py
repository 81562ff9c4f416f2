"""What every admin page of the newsroom shares: a crafted address or post is answered plainly.

Django's change list filters by whatever its query string names (?title__contains=...) and sends
a value it cannot use to its "?e=1" page, the whole list. Some values pass Django's own checks
and fail only in the database, a server error unless caught: a date at the calendar's edge (SQLite
converts "?created_at__gte=0001-01-01" to UTC; Django's date drill-down steps past
"?publish_at__year=9999"), an id too large for SQLite in a list (?id__in=1,9223372036854775808),
a NUL character, which PostgreSQL refuses (?status__exact=%00). They get the "?e=1" answer.
A regular expression, which the database reads in its own dialect and may run for long, is no
filter at all: 400, as for any lookup the admin does not allow.

Forms: an id too large for SQLite in a list (tags=9223372036854775808) is a form error, and the
autocomplete boxes, shown again after a refused save, look up only ids a row can have
(lead_image=x would fail in the database). Inlines check the model's constraints and read no
more forms from a post than they may hold.
"""

from django import forms
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.db.models.constants import LOOKUP_SEP

# Every model here has Django's default numeric id (settings.DEFAULT_AUTO_FIELD, BigAutoField).
MAX_ROW_ID = 2**63 - 1
REFUSED_LOOKUPS = {"regex", "iregex"}


def could_be_row_id(value):
    """Whether `value` is a number that an id column can hold, read as Django reads numbers."""
    try:
        return 0 < int(str(value)) <= MAX_ROW_ID
    except ValueError:
        return False


class CheckedChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:  # the date drill-down, past year 9999
            raise IncorrectLookupParameters(error) from error

    def get_results(self, request):
        # Counting runs the filters first, so a value the database refuses stops here; in a
        # savepoint, so that the refusal leaves the connection usable inside a transaction.
        try:
            with transaction.atomic(using=self.queryset.db):
                super().get_results(request)
        except (DataError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for key in value:
            if not could_be_row_id(key):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": key},
                )
        return super()._check_values(value)


class CheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if could_be_row_id(v)], attr)


class CheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if could_be_row_id(v)], attr)


class CheckedInputAdmin:
    """Mixin for every ModelAdmin (see the module's docstring)."""

    def lookup_allowed(self, lookup, value, request=None):
        if REFUSED_LOOKUPS.intersection(lookup.split(LOOKUP_SEP)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_object(self, request, object_id, from_field=None):
        # "?_to_field=" reaches here as a field named "", which Django then fails to find.
        return super().get_object(request, object_id, from_field or None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class CheckedInlineForm(forms.ModelForm):
    def validate_unique(self):
        super().validate_unique()
        # Django leaves the inline's own key out of model validation, and with it every
        # constraint naming it (an author once per byline, no article related to itself): they
        # are checked here, so that breaking one is a form error, not a refusal by the database.
        # (A constraint that does not name the key was checked already; should it fail, its
        # message shows twice.)
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            self._update_errors(error)


class CheckedInlineAdmin(CheckedInputAdmin):
    """Mixin for inlines; set `max_num`. Their forms check the model's constraints, and a post
    holds max_num forms at most (more is a form error): Django reads up to max_num + 1000 and,
    when one is wrong, shows them all again, so a forged "bylines-TOTAL_FORMS" would make a
    worker build and draw as many forms as it names."""

    form = CheckedInlineForm

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.get_max_num(request, obj, **kwargs))
        return super().get_formset(request, obj, **kwargs)


class ReadOnlyAdmin:
    """Mixin for a ModelAdmin whose rows are only ever listed and read, never made, changed or
    deleted through the admin (whatever the person's permissions say)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
