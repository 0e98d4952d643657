"""A django-filter FilterSet that makes its filters and its form's fields without deep copies.

django-filter deep-copies every declared filter for each filter set (`copy.deepcopy(base_filters)`:
every choice list, lazy label and widget), then builds the form's fields from the copies, and
Django's form deep-copies those fields once more. On a list page that is about a millisecond of
copying per view for what is, each time, a fresh set of objects used by one request.

Here each filter is copied shallowly, with its own `extra` (what a filter set's __init__ changes:
`extra["choices"] = …`), without the form field a filter keeps once it has made it, and with its
`method` bound to the copy; the form class, made for this filter set alone, hands its fields to
its one form without copying them again. A widget given as an instance is still copied by the
field that gets it (django.forms.Field does that). What the filters filter and how the form is
drawn and validated are the same as django-filter's own.
"""

from __future__ import annotations

import copy

import django_filters


class _Copied(dict):
    """Objects made for one filter set, or one form, alone: a deep copy of them is the dict itself."""

    def __deepcopy__(self, memo):
        return dict(self)


def _copy_of(filter_: django_filters.Filter) -> django_filters.Filter:
    clone = copy.copy(filter_)
    clone.__dict__.pop("_field", None)  # made afresh, from the copy's own extra
    clone.extra = dict(filter_.extra)
    if "filter" in filter_.__dict__:  # a FilterMethod: it calls the method of its filter's parent
        clone.method = filter_.method  # the setter binds a new one to the copy
    return clone


class FilterSet(django_filters.FilterSet):
    def __init__(self, *args, **kwargs):
        # django-filter's __init__ deep-copies self.base_filters: for this instance they are copies already.
        self.base_filters = _Copied({name: _copy_of(f) for name, f in type(self).base_filters.items()})
        try:
            super().__init__(*args, **kwargs)
        finally:
            del self.base_filters  # the class's again

    def get_form_class(self):
        form_class = super().get_form_class()
        if not getattr(self, "_fields_given", False):  # the filters' fields go to one form (self.form) alone
            self._fields_given = True
            form_class.base_fields = _Copied(form_class.base_fields)
        return form_class
