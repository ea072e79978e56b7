"""No-login pages: the call notice with its application form, and a scorer's one-time scoring page."""

from django.shortcuts import render

from niangjia.core import periods
from niangjia.core.errors import Conflict, DomainError, Forbidden, NotFound
from niangjia.core.idempotency import link_key, replayed
from niangjia.core.public import form_key, public_view
from niangjia.core.web import submit

from .. import queries, rules, services
from ..forms import CandidateForm


@public_view(scope="selection.calls", rate="60/h", methods=())
def calls(request):
    return render(request, "selection/public/calls.html", {"calls": list(queries.open_calls(periods.today()))})


@public_view(scope="selection.apply", rate="20/h")
def apply(request, pk):
    """The call notice and, during the call, the application form (retry-safe: the hidden key)."""
    sel = queries.public_selection(pk)
    posts = list(sel.posts.all())
    is_open = rules.call_open(sel.status, sel.call_opens, sel.call_closes, periods.today())
    form = CandidateForm(request.POST or None, posts=posts, initial={"key": form_key()})
    done = submit(request, form, lambda d: services.candidate_apply_public(
        selection=sel, key=d["key"], **{k: v for k, v in d.items() if k != "key"}),
        pages=(NotFound, Forbidden, Conflict),  # a closed call is the error page, not a form error
        success=lambda applied: render(request, "selection/public/applied.html", {"sel": sel, "c": applied[0]}))
    status = 400 if request.method == "POST" else 200
    return done or render(request, "selection/public/apply.html", {"sel": sel, "posts": posts, "form": form,
                                                                   "is_open": is_open, "today": periods.today()},
                          status=status)


@public_view(scope="selection.score", rate="30/h")
def score(request, token):
    """A scorer's page on her phone: each candidate's project and a score box; submitted once.

    The form carries a submission key: if her phone resends the form after it was saved (a lost
    answer, a double tap), she gets her saved scores back instead of "link already used"."""
    key = request.POST.get("key", "") if request.method == "POST" else ""
    first = replayed(services.SUBMIT_SCOPE, link_key(token, key))
    if first is not None:
        return _scored(request, first)
    scorer = queries.scorer_by_token(token)
    part = scorer.part
    candidates = list(queries.candidates_of(part.selection))
    score_max = queries.scoring_policy(part.selection.unit).get("score_max", 100)
    values, errors = {}, {}
    if request.method == "POST":
        values = {c.pk: request.POST.get(f"score_{c.pk}", "").strip() for c in candidates}
        try:
            done, _ = services.scores_submit(token=token, values={k: v for k, v in values.items() if v != ""},
                                             key=key)
            return _scored(request, done)
        except DomainError as exc:
            if not exc.fields:
                raise
            errors = exc.fields
    rows = [{"c": c, "value": values.get(c.pk, ""), "error": errors.get(f"score_{c.pk}", "")} for c in candidates]
    return render(request, "selection/public/score.html",
                  {"scorer": scorer, "part": part, "sel": part.selection, "rows": rows, "score_max": score_max,
                   "has_errors": bool(errors), "key": key or form_key()}, status=400 if errors else 200)


def _scored(request, scorer):
    return render(request, "selection/public/scored.html",
                  {"scorer": scorer, "part": scorer.part, "mine": queries.own_scores(scorer)})
