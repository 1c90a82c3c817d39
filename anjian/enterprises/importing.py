"""Import of the registry from xlsx and CSV: preview every row, then commit all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.accounts.models import Department, User
from anjian.accounts.permissions import can
from anjian.enterprises import services
from anjian.enterprises.forms import EnterpriseForm
from anjian.enterprises.models import (
    REGISTRY_FIELDS,
    Enterprise,
    EnterpriseTag,
    Kind,
    RiskClass,
    SafetyManager,
    Scale,
    Sector,
    StandardizationGrade,
    Status,
    Tag,
)
from anjian.enterprises.workflow import change_status
from anjian.imports import batches
from anjian.imports.models import ImportBatch, ImportKind
from anjian.imports.reports import BaseReport, ImportRejected, RowError
from anjian.lib import tabular, uscc
from anjian.lib.choices import allowed_labels, choice_lookup, read_choice
from anjian.lib.errors import NotAllowed
from anjian.regions.models import Grid

# (field, the header written by the template and the export, other headers people use)
COLUMNS: list[tuple[str, str, list[str]]] = [
    ("name", "企业名称", ["单位名称", "企业全称", "名称", "name"]),
    ("uscc", "统一社会信用代码", ["信用代码", "社会信用代码", "统一代码", "USCC", "credit code"]),
    ("legal_representative", "法定代表人", ["法人代表", "法人"]),
    ("principal", "主要负责人", ["负责人"]),
    ("principal_phone", "主要负责人电话", ["负责人电话", "联系电话", "负责人手机", "电话"]),
    ("safety_managers", "安全管理人员", ["安全员", "安全管理员", "安全管理人员及电话"]),
    ("address", "地址", ["企业地址", "经营地址", "生产经营地址", "注册地址"]),
    ("latitude", "纬度", ["latitude"]),
    ("longitude", "经度", ["longitude"]),
    ("village", "村/社区", ["村(社区)", "所属村(社区)", "社区", "村"]),
    ("grid", "所属网格", ["网格", "网格名称", "网格编码", "grid"]),
    ("industry_code", "行业代码", ["国民经济行业代码", "行业分类代码", "GB/T4754"]),
    ("sector", "监管行业", ["行业类别", "所属行业", "行业", "sector"]),
    ("tags", "重点监管标签", ["特殊标签", "标签", "重点监管类别"]),
    ("employees", "从业人数", ["职工人数", "员工人数", "人数"]),
    ("scale", "企业规模", ["规模", "规上规下"]),
    ("competent_department", "行业主管部门", ["主管部门"]),
    ("risk_class", "风险等级", ["风险分级", "风险颜色"]),
    ("standardization_grade", "标准化等级", ["安全生产标准化等级"]),
    ("standardization_expires_on", "标准化有效期至", ["标准化有效期", "标准化到期日"]),
    ("kind", "企业类型", ["类型"]),
    ("landlord", "出租方/园区", ["出租方", "房东", "所在园区", "所在集群"]),
    ("status", "经营状态", ["状态"]),
]
HEADERS = {f: header for f, header, _aliases in COLUMNS}
ALIASES = {f: [header, *aliases] for f, header, aliases in COLUMNS}
REQUIRED = ["name", "grid", "sector"]

CHOICE_FIELDS: dict[str, tuple[type[TextChoices], dict[str, list[str]]]] = {
    "sector": (Sector, {}),
    "scale": (Scale, {"above": ["规上", "规模以上"], "below": ["规下", "规模以下"]}),
    "risk_class": (
        RiskClass,
        {
            "red": ["红", "红色", "重大风险"],
            "orange": ["橙", "橙色", "较大风险"],
            "yellow": ["黄", "黄色", "一般风险"],
            "blue": ["蓝", "蓝色", "低风险"],
        },
    ),
    "standardization_grade": (
        StandardizationGrade,
        {"1": ["一级"], "2": ["二级"], "3": ["三级"], "small": ["小微", "小微企业"]},
    ),
    "kind": (
        Kind,
        {
            "ordinary": ["普通", "一般企业", "企业"],
            "landlord": ["出租方", "房东", "业主"],
            "cluster_operator": ["园区", "园区运营方", "集群运营方"],
        },
    ),
    "status": (
        Status,
        {
            "operating": ["在营", "正常", "生产", "营业"],
            "suspended": ["停产", "停业"],
            "shut": ["关停", "取缔"],
            "closed": ["注销", "关闭"],
            "moved": ["迁出", "搬迁"],
        },
    ),
}
# Columns passed to the form as typed; the others are looked up or mapped first.
LOOKED_UP = {
    "grid",
    "competent_department",
    "landlord",
    "sector",
    "scale",
    "risk_class",
    "standardization_grade",
    "kind",
}
TEXT_FIELDS = [f for f in REGISTRY_FIELDS if f not in LOOKED_UP] + ["safety_managers"]
TAG_SEPARATORS = ["、", "，", ",", ";", "；", "/", "|"]


@dataclass
class Duplicate:
    row: int
    uscc: str
    name: str
    existing_id: int
    existing_name: str


@dataclass
class Report(BaseReport):
    """What a registry import found (preview) or did (commit)."""

    duplicates: list[Duplicate] = field(default_factory=list)
    updated: int = 0


class CachedChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField answered from a dict loaded once per import instead of a query per row."""

    def __init__(self, objects: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(queryset=None, **kwargs)  # type: ignore[arg-type]
        self.objects = objects

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return self.objects[int(value)]
        except (KeyError, ValueError, TypeError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class RowForm(EnterpriseForm):
    """EnterpriseForm with lookups served from the import's caches; landlord is resolved apart.

    One instance checks every row of a file (`check`): building a form per row deep-copies
    its 22 fields, and the model-level clean queries the database for each foreign key and
    constraint; together that was ~5 ms a row. The form fields' own validation (lengths,
    choices, numbers, dates, the credit-code check) still runs for every row.
    """

    def __init__(self, *args: Any, caches: Lookups, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grid"] = CachedChoiceField(caches.grids_by_id)
        self.fields["competent_department"] = CachedChoiceField(caches.departments, required=False)
        del self.fields["landlord"]

    def clean(self) -> dict[str, Any]:
        # Duplicates by code are the importer's own business (update or skip), not an error.
        return forms.ModelForm.clean(self) or {}

    def _post_clean(self) -> None:
        # Foreign keys come from the import's caches and duplicates are checked by the
        # importer, so the model-level round trips add nothing here.
        return

    def check(self, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """Validate one row: (cleaned data, {field: messages})."""
        self.data, self.is_bound, self._errors = data, True, None
        self._bound_fields_cache: dict[str, Any] = {}
        if self.is_valid():
            return dict(self.cleaned_data), {}
        return data, {f: [str(m) for m in msgs] for f, msgs in self.errors.items()}


class Lookups:
    """Everything a row refers to, loaded once for the importer's scope."""

    def __init__(self, user: User) -> None:
        grids = list(Grid.objects.visible_to(user).select_related("village"))
        self.grids_by_id = {g.pk: g for g in grids}
        self.grids_by_code = {g.code.lower(): g for g in grids}
        self.grids_by_name: dict[str, list[Grid]] = {}
        for g in grids:
            self.grids_by_name.setdefault(g.name.lower(), []).append(g)
        self.departments = {d.pk: d for d in Department.objects.visible_to(user)}
        self.department_by_name = {d.name: d.pk for d in self.departments.values()}
        visible = Enterprise.objects.visible_to(user)
        self.visible_by_uscc = dict(visible.exclude(uscc="").values_list("uscc", "id"))
        self.visible_names = dict(visible.values_list("id", "name"))
        zone_ids = {g.zone_id for g in grids}
        self.zone_uscc = set(
            Enterprise.objects.filter(zone_id__in=zone_ids)
            .exclude(uscc="")
            .values_list("uscc", flat=True)
        )
        self.landlords_by_name: dict[str, list[int]] = {}
        self.landlords_by_uscc: dict[str, int] = {}
        for pk, name, code in visible.exclude(kind=Kind.ORDINARY).values_list("id", "name", "uscc"):
            self.landlords_by_name.setdefault(name, []).append(pk)
            if code:
                self.landlords_by_uscc[code] = pk
        self.choices = {f: choice_lookup(cls, extra) for f, (cls, extra) in CHOICE_FIELDS.items()}
        self.tags = choice_lookup(Tag)


@dataclass
class ParsedRow:
    row: int
    data: dict[str, Any]
    landlord_ref: str = ""
    status: str = ""
    duplicate_of: int | None = None


def _choice(lookups: Lookups, field_name: str, text: str, errors: list[tuple[str, str]]) -> str:
    messages: list[str] = []
    value = read_choice(text, lookups.choices[field_name], CHOICE_FIELDS[field_name][0], messages)
    errors += [(field_name, m) for m in messages]
    return value


def _grid(lookups: Lookups, raw: dict[str, str], errors: list[tuple[str, str]]) -> int | None:
    text = raw.get("grid", "").strip()
    if not text:
        errors.append(("grid", _("The grid is required.")))
        return None
    by_code = lookups.grids_by_code.get(text.lower())
    if by_code is not None:
        return by_code.pk
    matches = lookups.grids_by_name.get(text.lower(), [])
    village = raw.get("village", "").strip()
    if village:
        matches = [g for g in matches if g.village.name == village]
    if len(matches) == 1:
        return matches[0].pk
    if not matches:
        errors.append(("grid", _("There is no grid “%(g)s” in your area.") % {"g": text}))
    else:
        errors.append(
            (
                "grid",
                _(
                    "Several grids are called “%(g)s”: fill in the village / "
                    "community column or use the grid code."
                )
                % {"g": text},
            )
        )
    return None


def _row_to_form_data(
    lookups: Lookups, raw: dict[str, str], errors: list[tuple[str, str]]
) -> dict[str, Any]:
    data: dict[str, Any] = {f: raw.get(f, "") for f in TEXT_FIELDS}
    for f, value in data.items():
        if isinstance(value, str) and tabular.is_formula(value):
            errors.append((f, _("This cell holds a formula. Paste the values instead.")))
    for f in ("sector", "scale", "risk_class", "standardization_grade", "kind"):
        data[f] = _choice(lookups, f, raw.get(f, ""), errors)
    data["kind"] = data["kind"] or Kind.ORDINARY
    data["grid"] = _grid(lookups, raw, errors)
    dept = raw.get("competent_department", "").strip()
    if dept:
        data["competent_department"] = lookups.department_by_name.get(dept)
        if data["competent_department"] is None:
            errors.append(
                ("competent_department", _("There is no department “%(d)s”.") % {"d": dept})
            )
    tags = []
    text = raw.get("tags", "")
    for sep in TAG_SEPARATORS:
        text = text.replace(sep, " ")
    for word in text.split():
        tag = lookups.tags.get(word.lower())
        if tag is None:
            errors.append(
                (
                    "tags",
                    _("“%(v)s” is not a tag. Use: %(allowed)s.")
                    % {"v": word, "allowed": allowed_labels(Tag)},
                )
            )
        else:
            tags.append(tag)
    data["tags"] = tags
    return data


def parse(content: bytes, filename: str, *, by: User) -> tuple[Report, list[ParsedRow]]:
    """Read and check every row. Writes nothing."""
    report = Report(filename=filename)
    try:
        table = tabular.read_table(
            content, filename, ALIASES, required=REQUIRED, max_bytes=settings.IMPORT_MAX_BYTES
        )
    except tabular.FileRejected as exc:
        report.file_error = str(exc)
        return report, []
    report.header_row, report.unknown_headers = table.header_row, table.unknown_headers
    lookups = Lookups(by)
    checker = RowForm({}, user=by, caches=lookups)
    try:
        return _parse_rows(report, table, lookups, checker)
    except tabular.FileRejected as exc:  # found past the header, as the rows are read
        report.file_error = str(exc)
        report.errors, report.duplicates = [], []
        return report, []


def _parse_rows(
    report: Report, table: tabular.Table, lookups: Lookups, checker: RowForm
) -> tuple[Report, list[ParsedRow]]:
    file_headers = table.headers
    parsed: list[ParsedRow] = []
    seen_uscc: dict[str, int] = {}
    in_file_landlords: dict[str, list[int]] = {}
    for row_no, raw in table.rows:
        report.rows += 1
        errors: list[tuple[str, str]] = []
        data, field_errors = checker.check(_row_to_form_data(lookups, raw, errors))
        errors += [
            (f if f != "__all__" else "name", m)
            for f, msgs in field_errors.items()
            for m in msgs
            if f not in {e[0] for e in errors}
        ]
        row = ParsedRow(row=row_no, data=data, landlord_ref=raw.get("landlord", "").strip())
        row.status = _choice(lookups, "status", raw.get("status", ""), errors)
        code = data.get("uscc") if not errors else uscc.normalize(raw.get("uscc", ""))
        if code and not any(e[0] == "uscc" for e in errors):
            if code in seen_uscc:
                errors.append(
                    (
                        "uscc",
                        _("The same credit code is already on row %(r)d.") % {"r": seen_uscc[code]},
                    )
                )
            elif code in lookups.visible_by_uscc:
                row.duplicate_of = lookups.visible_by_uscc[code]
                report.duplicates.append(
                    Duplicate(
                        row=row_no,
                        uscc=code,
                        name=raw.get("name", ""),
                        existing_id=row.duplicate_of,
                        existing_name=lookups.visible_names.get(row.duplicate_of, ""),
                    )
                )
            elif code in lookups.zone_uscc:
                errors.append(
                    (
                        "uscc",
                        _(
                            "This credit code is registered outside your area. "
                            "Ask the zone safety office."
                        ),
                    )
                )
            seen_uscc[code] = row_no
        if data.get("kind", Kind.ORDINARY) != Kind.ORDINARY:
            in_file_landlords.setdefault(raw.get("name", "").strip(), []).append(row_no)
            if code:
                in_file_landlords.setdefault(code, []).append(row_no)
        for column, message in errors:
            report.errors.append(
                RowError(row=row_no, column=_header(column, file_headers), message=message)
            )
        if not errors:
            parsed.append(row)
    _check_landlords(parsed, lookups, in_file_landlords, report, file_headers)
    report.new = sum(1 for r in parsed if r.duplicate_of is None)
    report.errors.sort(key=lambda e: e.row)
    return report, parsed


def _header(field_name: str, present: dict[str, str]) -> str:
    """The column as the file names it (信用代码, say), else the template's header."""
    return present.get(field_name) or HEADERS.get(field_name, field_name)


def _check_landlords(
    parsed: list[ParsedRow],
    lookups: Lookups,
    in_file: dict[str, list[int]],
    report: Report,
    headers: dict[str, str],
) -> None:
    # A landlord's row that is already registered (an exported file imported back) names the
    # same landlord as the register does: count it once.
    registered_as = {r.row: r.duplicate_of for r in parsed if r.duplicate_of is not None}
    for row in list(parsed):
        ref = row.landlord_ref
        if not ref:
            continue
        if row.data.get("kind", Kind.ORDINARY) != Kind.ORDINARY:
            message = _("A landlord or cluster operator cannot itself be a tenant.")
        else:
            key = uscc.normalize(ref)
            known = (
                [lookups.landlords_by_uscc[key]]
                if key in lookups.landlords_by_uscc
                else lookups.landlords_by_name.get(ref, [])
            )
            rows = in_file.get(ref, in_file.get(key, []))
            matches: set[int | str] = {*known, *(registered_as.get(r, f"row {r}") for r in rows)}
            if len(matches) == 1:
                continue
            message = (
                _("Several landlords match “%(l)s”: use its credit code.")
                if known or in_file.get(ref)
                else _(
                    "“%(l)s” is not a landlord or cluster operator in your area or in this file."
                )
            ) % {"l": ref}
        report.errors.append(
            RowError(row=row.row, column=_header("landlord", headers), message=message)
        )
        parsed.remove(row)


def preview(content: bytes, filename: str, *, by: User) -> Report:
    if not can(by, "registry.import"):
        raise NotAllowed("registry.import")
    report, _rows = parse(content, filename, by=by)
    return report


def commit(
    content: bytes,
    filename: str,
    *,
    by: User,
    on_duplicate: str | None,
    batch: ImportBatch | None = None,
) -> Report:
    """Import the file, or nothing: any bad row (or an unmade choice on duplicates) refuses.
    `batch`: the upload being committed (committed at most once: imports.batches)."""
    if not can(by, "registry.import"):
        raise NotAllowed("registry.import")
    report, rows = parse(content, filename, by=by)
    if not report.ok:
        raise ImportRejected(report, report.file_error or _("Correct the rows listed and retry."))
    if report.duplicates and on_duplicate not in ("update", "skip"):
        raise ImportRejected(
            report,
            _(
                "%(n)d enterprises in the file are already registered: "
                "choose whether to update or skip them."
            )
            % {"n": len(report.duplicates)},
        )
    with batches.committing(
        batch,
        kind=ImportKind.REGISTRY,
        by=by,
        filename=filename,
        report=report,
        fills=[Enterprise, EnterpriseTag, SafetyManager],
    ):
        _write(rows, report, filename, by=by, on_duplicate=on_duplicate)
    return report


def _write(
    rows: list[ParsedRow], report: Report, filename: str, *, by: User, on_duplicate: str | None
) -> None:
    new_rows = [r for r in rows if r.duplicate_of is None]
    created = services.bulk_create_enterprises([r.data for r in new_rows], by=by)
    report.created = len(created)
    ids_by_row = {r.row: e.pk for r, e in zip(new_rows, created, strict=True)}
    for row in rows:
        if row.duplicate_of is None:
            continue
        if on_duplicate == "skip":
            report.skipped += 1
            continue
        existing = Enterprise.objects.get(pk=row.duplicate_of)
        services.update_enterprise(existing, row.data, by=by, version=None)
        ids_by_row[row.row] = existing.pk
        report.updated += 1
    _link_landlords(rows, ids_by_row, report, by)
    for row in rows:
        if row.status and row.status != Status.OPERATING and row.row in ids_by_row:
            enterprise = Enterprise.objects.get(pk=ids_by_row[row.row])
            if enterprise.status != row.status:
                change_status(
                    enterprise,
                    row.status,
                    on=timezone.localdate(),
                    by=by,
                    reason=_("Imported from %(f)s, row %(r)d") % {"f": filename, "r": row.row},
                )


def _link_landlords(
    rows: list[ParsedRow], ids_by_row: dict[int, int], report: Report, by: User
) -> None:
    landlords = {
        key: pk
        for pk, name, code in Enterprise.objects.visible_to(by)
        .exclude(kind=Kind.ORDINARY)
        .values_list("id", "name", "uscc")
        for key in (name, code)
        if key
    }
    tenants_of: dict[int, list[int]] = {}
    for row in rows:
        if row.landlord_ref and row.row in ids_by_row:
            landlord_id = landlords.get(uscc.normalize(row.landlord_ref)) or landlords.get(
                row.landlord_ref
            )
            if landlord_id is None:
                # Its landlord's row was skipped as already registered, and the registered
                # enterprise is not a landlord. Raised inside the transaction: nothing is kept.
                report.errors.append(
                    RowError(
                        row=row.row,
                        column=HEADERS["landlord"],
                        message=_(
                            "“%(l)s” is a landlord only in this file, and its row was skipped: "
                            "update the enterprises already registered instead."
                        )
                        % {"l": row.landlord_ref},
                    )
                )
                report.created = report.updated = report.skipped = 0
                raise ImportRejected(report, _("Correct the rows listed and retry."))
            tenants_of.setdefault(landlord_id, []).append(ids_by_row[row.row])
    # One UPDATE per landlord rather than one per tenant.
    for landlord_id, tenant_ids in tenants_of.items():
        Enterprise.objects.filter(pk__in=tenant_ids).update(landlord_id=landlord_id)
