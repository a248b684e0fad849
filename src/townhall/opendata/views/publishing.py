"""Publishers' pages: their datasets, metadata forms, uploads, column types, publishing, tokens.

Each view asks the permission gate, calls one service, and redirects or re-renders the
form with GOV.UK errors. Services raise ValidationError for anything a person can fix.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.core.permissions import can, require

from .. import selectors, services
from ..columns import column_descriptions
from ..forms import (
    ApiTokenForm,
    ColumnTypesForm,
    DataDictionaryForm,
    DatasetForm,
    LinkForm,
    UploadForm,
)
from ..harvest.guard import require_editable
from ..models import ApiToken, Dataset
from ..uploads import limit_upload_size, upload_was_too_large


def _editable(request, slug: str) -> Dataset:
    dataset = get_object_or_404(Dataset.objects.select_related("publisher"), slug=slug)
    require_editable(request.user, "opendata.edit_dataset", dataset)
    return dataset


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where the form has them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def dashboard(request):
    require(request.user, "opendata.edit_dataset")
    context = {
        "datasets": selectors.datasets_for_publishing(request.user),
        "can_manage_catalogue": can(request.user, "opendata.manage_catalogue"),
    }
    return render(request, "opendata/publish/dashboard.html", context)


@login_required
def dataset_create(request):
    require(request.user, "opendata.edit_dataset")
    form = DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            dataset = services.dataset_create(
                actor=request.user,
                themes=data.pop("themes"),
                keywords=data.pop("keywords"),
                title=data.pop("title"),
                publisher=data.pop("publisher"),
                **data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Dataset created as a draft. Now add its data."))
            return redirect("opendata:dataset_edit", dataset.slug)
    return render(request, "opendata/publish/dataset_form.html", {"form": form, "dataset": None})


def _harvested_page(request, slug: str):
    """For a harvested dataset, a page saying where it is edited; None for any other."""
    dataset = get_object_or_404(
        Dataset.objects.select_related("publisher", "harvest_source"), slug=slug
    )
    if not dataset.is_harvested:
        return None
    require(request.user, "opendata.edit_dataset")
    context = {"dataset": dataset, "source": dataset.harvest_source}
    return render(request, "opendata/harvest/harvested_dataset.html", context, status=403)


@login_required
def dataset_edit(request, slug: str):
    harvested = _harvested_page(request, slug)
    if harvested is not None:
        return harvested
    dataset = _editable(request, slug)
    form = DatasetForm(request.POST or None, initial=DatasetForm.initial_for(dataset))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.dataset_update(
                actor=request.user,
                dataset=dataset,
                themes=data.pop("themes"),
                keywords=data.pop("keywords"),
                **data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Dataset saved."))
            return redirect("opendata:dataset_edit", dataset.slug)
    context = {
        "form": form,
        "dataset": dataset,
        "resources": dataset.resources.select_related("current_version"),
        "load_problems": selectors.load_problems(dataset),
    }
    return render(request, "opendata/publish/dataset_form.html", context)


@login_required
@require_POST
def dataset_status(request, slug: str):
    dataset = _editable(request, slug)
    confirmed = request.POST.get("confirm_problems") == "yes"
    change = {
        "publish": partial(services.dataset_publish, confirm_problems=confirmed),
        "unpublish": services.dataset_unpublish,
        "archive": services.dataset_archive,
    }.get(request.POST.get("action", ""))
    if change is None:
        raise Http404
    try:
        change(actor=request.user, dataset=dataset)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The dataset is now %(status)s.") % {"status": dataset.get_status_display()}
        )
    return redirect("opendata:dataset_edit", dataset.slug)


@login_required
@limit_upload_size
def resource_add(request, slug: str):
    dataset = _editable(request, slug)
    upload = UploadForm(
        request.POST if request.POST.get("kind") == "upload" else None, request.FILES or None
    )
    link = LinkForm(request.POST if request.POST.get("kind") == "link" else None, prefix="link")
    if request.method == "POST" and upload_was_too_large(request):
        upload.add_error("file", services.too_large_message())
    elif request.method == "POST" and upload.is_bound and upload.is_valid():
        try:
            version = services.resource_upload(
                actor=request.user,
                dataset=dataset,
                content=upload.cleaned_data["file"],
                filename=upload.cleaned_data["file"].name,
                name=upload.cleaned_data["name"],
                description=upload.cleaned_data["description"],
                name_cy=upload.cleaned_data["name_cy"],
                description_cy=upload.cleaned_data["description_cy"],
            )
        except ValidationError as error:
            _apply_errors(upload, error)
        else:
            messages.success(request, _("File uploaded."))
            return redirect("opendata:resource", dataset.slug, version.resource_id)
    elif request.method == "POST" and link.is_bound and link.is_valid():
        try:
            services.resource_create_link(actor=request.user, dataset=dataset, **link.cleaned_data)
        except ValidationError as error:
            _apply_errors(link, error)
        else:
            messages.success(request, _("Link added."))
            return redirect("opendata:dataset_edit", dataset.slug)
    context = {"dataset": dataset, "upload": upload, "link": link}
    return render(request, "opendata/publish/resource_add.html", context)


@login_required
@limit_upload_size
def version_upload(request, slug: str, resource_id):
    dataset = _editable(request, slug)
    resource = get_object_or_404(dataset.resources, pk=resource_id)
    form = UploadForm(request.POST or None, request.FILES or None, new_version=True)
    if request.method == "POST" and upload_was_too_large(request):
        form.add_error("file", services.too_large_message())
    elif request.method == "POST" and form.is_valid():
        try:
            services.resource_upload(
                actor=request.user,
                dataset=dataset,
                resource=resource,
                content=form.cleaned_data["file"],
                filename=form.cleaned_data["file"].name,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("New version uploaded. The previous one stays until it loads.")
            )
            return redirect("opendata:resource", dataset.slug, resource.pk)
    context = {
        "dataset": dataset,
        "resource": resource,
        "form": form,
        "versions": selectors.resource_versions(resource),
    }
    return render(request, "opendata/publish/version_upload.html", context)


@login_required
def column_types(request, slug: str, resource_id):
    dataset = _editable(request, slug)
    resource = get_object_or_404(dataset.resources, pk=resource_id)
    columns = selectors.table_columns(resource, request.user)
    form = ColumnTypesForm(request.POST or None, columns=columns, current=resource.column_types)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_set_column_types(
                actor=request.user, resource=resource, column_types=form.column_types()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Column types saved. The data is being loaded again."))
            return redirect("opendata:resource", dataset.slug, resource.pk)
    context = {"dataset": dataset, "resource": resource, "form": form, "columns": columns}
    return render(request, "opendata/publish/column_types.html", context)


@login_required
def data_dictionary(request, slug: str, resource_id):
    """The publisher's page for what each column of the resource's table means."""
    dataset = _editable(request, slug)
    resource = get_object_or_404(dataset.resources, pk=resource_id)
    columns = selectors.table_columns(resource, request.user)
    current = column_descriptions(resource)
    form = DataDictionaryForm(request.POST or None, columns=columns, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_describe_columns(
                actor=request.user,
                resource=resource,
                columns=[column["id"] for column in columns],
                entries=form.entries(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Column descriptions saved."))
            return redirect("opendata:resource", dataset.slug, resource.pk)
    context = {"dataset": dataset, "resource": resource, "form": form, "columns": columns}
    return render(request, "opendata/publish/data_dictionary.html", context)


@login_required
@require_POST
def version_retry(request, slug: str, resource_id, version_id):
    dataset, version = _version(request, slug, resource_id, version_id)
    try:
        services.version_ingest_retry(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Loading the upload again."))
    return redirect("opendata:resource", dataset.slug, resource_id)


@login_required
@require_POST
def version_publish(request, slug: str, resource_id, version_id):
    """Publish a version held because of its problems, once the publisher confirms them."""
    dataset, version = _version(request, slug, resource_id, version_id)
    confirmed = request.POST.get("confirm_problems") == "yes"
    try:
        services.version_publish(actor=request.user, version=version, confirm_problems=confirmed)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The new version is published."))
    return redirect("opendata:resource", dataset.slug, resource_id)


@login_required
@require_POST
def version_discard(request, slug: str, resource_id, version_id):
    dataset, version = _version(request, slug, resource_id, version_id)
    try:
        services.version_discard(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("The new version is discarded. People still see the previous one.")
        )
    return redirect("opendata:resource", dataset.slug, resource_id)


def _version(request, slug: str, resource_id, version_id):
    dataset = _editable(request, slug)
    resource = get_object_or_404(dataset.resources, pk=resource_id)
    return dataset, get_object_or_404(selectors.resource_versions(resource), pk=version_id)


@login_required
def tokens(request):
    require(request.user, "opendata.manage_api_tokens")
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.api_token_create(
            actor=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    context = {"form": form, "secret": secret, "tokens": selectors.api_tokens_of(request.user)}
    return render(request, "opendata/publish/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("opendata:tokens")
