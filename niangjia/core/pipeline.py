"""Status machines as tables of steps, checked in one place.

Every pipeline of the house (needs, service orders, cases, referrals, award rounds, selections,
activities…) is one `Pipeline`: its statuses with their words, and its `Step`s (from, to,
permission, label, an optional guard). `Pipeline.check` asks, in this order, permission →
reach → status → guard, and a refused step raises one error, `TransitionRefused` (409,
`invalid_transition`). The same table gives the buttons a user may press now
(`Pipeline.allowed`) and the table in docs/pipelines.md (`Pipeline.markdown`).

Modelled on the needs pipeline (needs/rules.py Step table, needs/services.py `_check_step`).
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import import_module, util
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .access import ensure_unit_in_reach
from .errors import Conflict, ErrorCode
from .roles import has_perm, require

#: How a refused step is explained, by default: “已登记”的需求不能办结（只有已指派、办理中的需求可以办结）
EXPLAIN = gettext_lazy("“{status}”的{noun}不能{label}（只有{allowed}的{noun}可以{label}）")
#: The short form: “已拒单”的订单不能接单
SHORT = gettext_lazy("“{status}”的{noun}不能{label}")
#: By target: 个案当前为“已结案”，不能变为“跟进中”
BY_TARGET = gettext_lazy("{noun}当前为“{status}”，不能变为“{target}”")


class TransitionRefused(Conflict):
    """A step the record's status (or a step's guard) does not allow: 409, one code everywhere.

    A Conflict, so code that catches Conflict for a refused change keeps catching it."""

    status = 409
    code = ErrorCode.TRANSITION

    def __init__(self, message: str, *, fields: dict[str, str] | None = None, field_name: str = "status", **kw):
        super().__init__(message, fields=fields if fields is not None else {field_name: message}, **kw)


@dataclass(frozen=True)
class Step:
    """One step of a pipeline: the statuses it starts from, where it leads, who may take it.

    `guard(obj)` returns why the step may not be taken now ('' when it may) beyond the status
    (e.g. a case may go to 已转介 only once a referral exists)."""

    name: str
    label: str
    sources: frozenset
    target: str
    perm: str
    guard: Callable[[object], str] | None = field(default=None, compare=False)

    def __post_init__(self):
        if not isinstance(self.sources, frozenset):  # a tuple or set in a declaration is fine
            object.__setattr__(self, "sources", frozenset(self.sources))


def _unit_access(actor, obj, perm: str) -> None:
    """The default access check: the permission, then the record's place inside the actor's reach."""
    require(actor, perm)
    ensure_unit_in_reach(actor, obj)


REGISTRY: dict[str, "Pipeline"] = {}


class Pipeline(Mapping):
    """A status machine: `pipeline[name]` is a Step; iterating gives the step names in table order."""

    def __init__(self, name: str, *, statuses: Mapping[str, str], steps: Iterable[Step], noun: str,
                 refusal: str = EXPLAIN, unknown: str = _("未知的步骤：{step}"), field: str = "status",
                 refusal_field: str | None = None, refusal_fields: Mapping[str, str] | None = None,
                 access: Callable = _unit_access, status_of: Callable | None = None, register: bool = True):
        self.name, self.statuses, self.noun = name, dict(statuses), noun
        self.steps: dict[str, Step] = {}
        for s in steps:
            unknown_statuses = (set(s.sources) | {s.target}) - set(self.statuses)
            if unknown_statuses:
                raise ValueError(f"{name}.{s.name}: unknown statuses {sorted(unknown_statuses)}")
            if s.name in self.steps:
                raise ValueError(f"{name}: step {s.name} declared twice")
            self.steps[s.name] = s
        self.refusal, self.unknown, self.field = refusal, unknown, field
        self.refusal_field = refusal_field or field  # the error field a refusal names
        self.refusal_fields = dict(refusal_fields) if refusal_fields is not None else None
        self.access = access
        self.status_of = status_of or (lambda obj: getattr(obj, field))
        if register:  # tests declare throwaway pipelines that stay out of the docs
            REGISTRY[name] = self

    # ------------------------------------------------------------ the table

    def __getitem__(self, name: str) -> Step:
        return self.steps[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def status_name(self, status: str) -> str:
        # str(): the apps declare their status names lazily (gettext_lazy); callers join and compare them
        return str(self.statuses.get(status, status))

    def steps_from(self, status: str) -> list[Step]:
        """The steps open to a record in `status`, in table order."""
        return [s for s in self.steps.values() if status in s.sources]

    def step_to(self, status: str, target: str) -> Step | None:
        """The first step leading from `status` to `target` (pipelines driven by target status)."""
        return next((s for s in self.steps.values() if s.target == target and status in s.sources), None)

    def targets_from(self, status: str) -> list[str]:
        """The statuses reachable in one step from `status`, in table order, without repeats."""
        return list(dict.fromkeys(s.target for s in self.steps_from(status)))

    def may_move(self, status: str, target: str) -> bool:
        return self.step_to(status, target) is not None

    # ------------------------------------------------------------ refusals

    def problem(self, step: str, status: str) -> str:
        """Why `step` may not be taken from `status` ('' when it may), in Chinese."""
        spec = self.steps.get(step)
        if spec is None:
            return self.unknown.format(step=step)
        if status in spec.sources:
            return ""
        return self._explain(spec.label, spec.sources, status, spec.target)

    def move_problem(self, status: str, target: str) -> str:
        """Why a record in `status` may not go to `target` ('' when it may)."""
        if self.may_move(status, target):
            return ""
        sources = frozenset().union(*(s.sources for s in self.steps.values() if s.target == target))
        label = next((s.label for s in self.steps.values() if s.target == target), self.status_name(target))
        return self._explain(label, sources, status, target)

    def _explain(self, label: str, sources, status: str, target: str) -> str:
        order = list(self.statuses)
        allowed = "、".join(self.status_name(s) for s in sorted(sources, key=order.index))
        return self.refusal.format(status=self.status_name(status), noun=self.noun, label=label, allowed=allowed,
                                   target=self.status_name(target))

    def refuse(self, message: str, field: str | None = None) -> TransitionRefused:
        """The one error of a refused step (raise it)."""
        if field is None and self.refusal_fields is not None:
            return TransitionRefused(message, fields=dict(self.refusal_fields))
        return TransitionRefused(message, field_name=field or self.refusal_field)

    # ------------------------------------------------------------ the check

    def check(self, actor, obj, step: str, *, access: Callable | None = None) -> Step:
        """Permission → reach → status → guard, for `actor` taking `step` on `obj`; returns the Step.

        `access(actor, obj, perm)` replaces the pipeline's access check where reach is more than a
        place (a case's need-to-know lives in the cases app, which the pure rules may not import)."""
        spec = self.steps.get(step)
        if spec is None:
            raise self.refuse(self.unknown.format(step=step))
        (access or self.access)(actor, obj, spec.perm)
        problem = self.problem(step, self.status_of(obj)) or (spec.guard(obj) if spec.guard else "")
        if problem:
            raise self.refuse(problem)
        return spec

    def check_move(self, actor, obj, target: str, *, access: Callable | None = None) -> Step:
        """As `check`, for pipelines whose callers name the target status instead of the step."""
        status = self.status_of(obj)
        spec = self.step_to(status, target)
        if spec is None:
            # the access check comes first even for an impossible move: 404/403 before 409
            perms = [s.perm for s in self.steps.values() if s.target == target] or [next(iter(self.steps.values())).perm]
            (access or self.access)(actor, obj, perms[0])
            raise self.refuse(self.move_problem(status, target))
        return self.check(actor, obj, spec.name, access=access)

    # ------------------------------------------------------------ buttons and docs

    def allowed(self, user, obj) -> list[Step]:
        """The steps `user` may take on `obj` now (the page's buttons): open from its status, permitted,
        and not refused by a guard. Reach is the caller's: the page already fetched `obj` in scope."""
        status = self.status_of(obj)
        return [s for s in self.steps_from(status) if has_perm(user, s.perm) and not (s.guard and s.guard(obj))]

    def rows(self) -> list[dict]:
        """The table as rows of words (docs, the API's description)."""
        order = list(self.statuses)
        return [{"step": s.name, "label": s.label,
                 "from": "、".join(self.status_name(x) for x in sorted(s.sources, key=order.index)),
                 "to": self.status_name(s.target), "perm": s.perm, "guarded": bool(s.guard)}
                for s in self.steps.values()]

    def markdown(self) -> str:
        lines = [f"### {self.name}（{self.noun}）", "", _("| 步骤 | 名称 | 从 | 到 | 权限 |"), "|---|---|---|---|---|"]
        for r in self.rows():
            lines.append(f"| `{r['step']}` | {r['label']}{'*' if r['guarded'] else ''} | {r['from']} | {r['to']} "
                         f"| `{r['perm']}` |")
        return "\n".join(lines) + "\n"


def load_all() -> dict[str, Pipeline]:
    """Every pipeline of the installed apps (each app's rules module declares its own)."""
    from django.apps import apps  # the app registry is only ready at run time, not at import

    for config in apps.get_app_configs():
        if config.name.startswith("niangjia.") and util.find_spec(f"{config.name}.rules"):
            import_module(f"{config.name}.rules")
    return dict(sorted(REGISTRY.items()))


def docs() -> str:
    """docs/pipelines.md: every status machine's table (the test keeps the file current)."""
    head = (_("# 状态流程（Pipelines）\n\n由 `niangjia.core.pipeline.docs()` 从各应用 rules.py 中的步骤表生成，"
            "勿手工修改。带 * 的步骤另有前提条件。\n\n"))
    return head + "\n".join(p.markdown() for p in load_all().values())


def write_docs(path=None) -> None:
    """Rewrite docs/pipelines.md from the tables."""
    from django.conf import settings  # settings are configured only at run time

    target = Path(path) if path else Path(settings.BASE_DIR) / "docs" / "pipelines.md"
    target.write_text(docs(), encoding="utf-8")
