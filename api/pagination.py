"""Lists a page at a time: `page` (from 1) and `page_size` (1 to 100)."""

from django import forms
from django.core.paginator import InvalidPage
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.cache import absolute_url

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
PAGE_PARAMS = ("page", "page_size")


class WholeNumber(forms.IntegerField):
    """A whole number written as digits alone, as the schema's "integer"
    says: Django's IntegerField also takes " 5", "5\t" and "5.0", which the
    schema does not allow. Absent or empty is none given, as the schema
    says (api/schema.py)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not str(value).isascii() or not str(value).isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


class PageForm(forms.Form):
    page = WholeNumber(
        required=False,
        min_value=1,
        error_messages={"invalid": "Enter a whole number of 1 or more, such as 2."},
    )
    page_size = WholeNumber(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        error_messages={
            "invalid": f"Enter a whole number from 1 to {MAX_PAGE_SIZE}.",
        },
    )


class Pages(PageNumberPagination):
    """A malformed page number or size is a 400 naming it; a page past the
    last is a 404 that says which is the last."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        form = PageForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        self.request = request
        size = form.cleaned_data["page_size"] or self.page_size
        paginator = self.django_paginator_class(queryset, size)
        number = form.cleaned_data["page"] or 1
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise exceptions.NotFound(
                f"There is no page {number}: the last is page {paginator.num_pages}."
            ) from None
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def here(self):
        """This address, on DJANGO_SITE_URL when set (as pages' links are)."""
        return absolute_url(self.request, self.request.get_full_path())

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(
            self.here(), self.page_query_param, self.page.next_page_number()
        )

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self.here(), self.page_query_param)
        return replace_query_param(self.here(), self.page_query_param, number)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Which page of the results, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"How many results a page (default {PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
