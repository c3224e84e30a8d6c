"""Named failures of the incidents package; pages catch :class:`IncidentsError` and show its message."""

from __future__ import annotations

from typing import Self

from incidents.domain.messages import field_label, has, row_label, text


class IncidentsError(Exception):
    """Base class of every failure the package reports to a user."""

    #: The catalogue entry (``incidents/data/messages.toml``) that says this failure in both languages, and its
    #: values; None for a failure said in English only.
    key: str | None = None
    values: dict[str, object] = {}  # noqa: RUF012 - never mutated; an instance sets its own

    @classmethod
    def said(cls, key: str, **values: object) -> Self:
        """Return this failure as catalogue entry ``key`` says it: its English text is the message (logs, the
        command line), and :meth:`localised` gives either language. Pickled with its key (an exception's
        ``__dict__`` travels with it). For failures built from their message alone: not :class:`RoleRefused`
        or :class:`ImportRejected`, which say themselves from their own parts."""
        error = cls(say(key, "en", values))
        error.key, error.values = key, dict(values)
        return error

    def localised(self, lang: str = "en") -> str:
        """Return the message in the interface language ``lang``; English unless it was :meth:`said` (or a
        subclass says it) in both."""
        return say(self.key, lang, self.values) if self.key else str(self)


#: Placeholders that hold a field name: shown by the field's label in Arabic (:func:`field_label`).
FIELD_PLACEHOLDERS = frozenset({"field", "low_field", "high_field", "vocabulary"})


def say(key: str, lang: str, values: dict[str, object]) -> str:
    """Return catalogue entry ``key`` in ``lang`` filled with ``values``: a field name (:data:`FIELD_PLACEHOLDERS`)
    by its label and a ``row`` of a file as "row 3" / "الصف 3", every value isolated in Arabic (``_isolated``)."""
    shown = {name: field_label(str(value), lang) if name in FIELD_PLACEHOLDERS
             else row_label(value, lang) if name == "row" and isinstance(value, int | str) else value
             for name, value in values.items()}
    return text(key, lang, **_isolated(shown, lang))


def _isolated(values: dict[str, object], lang: str) -> dict[str, object]:
    """Return ``values`` for a message in ``lang``: in Arabic each is wrapped in first-strong isolates, so that a
    Latin user name or address keeps its own direction inside the right-to-left sentence."""
    return {k: f"\u2068{v}\u2069" for k, v in values.items()} if lang == "ar" else values


class UnknownCodeError(IncidentsError, ValueError):
    """A value is not in one of the closed vocabularies (actor, event type, grading, ...)."""


class ValidationError(IncidentsError, ValueError):
    """A record or an imported row breaks the rules of the incident record."""

    #: The problems it lists (:class:`incidents.domain.validation.Problem`), each said in either language; empty
    #: for a failure said by its message alone.
    field_problems: tuple = ()
    #: What the problems are of: a catalogue key of [problems] taking ``{detail}`` and ``lead`` values, or None.
    lead: tuple[str, dict[str, object]] | None = None

    @classmethod
    def of(cls, problems: list, lead: str | None = None, **values: object) -> ValidationError:
        """Return the failure listing ``problems`` ("field: reason; ..."), after the catalogue entry ``lead``
        ("incident {uid}: {detail}") when given. English in the message (the command line, logs); :meth:`localised`
        names each field by its label and says each reason in the interface language."""
        error = cls(_listed(problems, "en", lead, values))
        error.field_problems, error.lead = tuple(problems), ((lead, dict(values)) if lead else None)
        return error

    def localised(self, lang: str = "en") -> str:
        """Return the message in ``lang``; a list of problems says each in ``lang``."""
        if not self.field_problems:
            return super().localised(lang)
        lead, values = self.lead or (None, {})
        return _listed(list(self.field_problems), lang, lead, values)


def _listed(problems: list, lang: str, lead: str | None, values: dict[str, object]) -> str:
    detail = "; ".join(text("problems.joined", lang, field=field_label(p.field, lang), reason=p.localised(lang))
                       for p in problems)
    return text(lead, lang, **_isolated(values, lang), detail=detail) if lead else detail


class ImportRejected(IncidentsError):
    """An import found invalid rows and wrote nothing; ``errors`` lists every one of them."""

    key = "file_errors.rejected"

    def __init__(self, errors: list, total_rows: int) -> None:
        self.errors = errors
        self.total_rows = total_rows
        self.values = {"n": len(errors), "rows": total_rows}
        super().__init__(self.localised("en"))

    def __reduce__(self) -> tuple:
        """Rebuilt from its errors and row count (pickled or copied: a worker pool, a test runner's report)."""
        return type(self), (self.errors, self.total_rows)


class FileFormatError(IncidentsError):
    """A file cannot be read as the format asked for (encoding, structure, missing columns)."""


class NotFound(IncidentsError, LookupError):
    """No incident, claim, place or user has the id asked for."""


class PermissionDenied(IncidentsError, PermissionError):
    """The acting user may not do this (a role, an account or a mode refuses it)."""


class RoleRefused(PermissionDenied):
    """The acting user's role is below the one an action needs; said in English or Arabic (``localised``)."""

    def __init__(self, user: str, role: str, action: str, needed: str) -> None:
        self.user, self.role, self.action, self.needed = user, role, action, needed
        super().__init__(self.localised("en"))

    def __reduce__(self) -> tuple:
        """Rebuilt from its four parts (pickled or copied: a worker pool, a test runner's report)."""
        return type(self), (self.user, self.role, self.action, self.needed)

    def localised(self, lang: str = "en") -> str:
        """Return "<user> (<role>) may not <action>: that needs the <needed> role or higher" in ``lang``."""
        action_key = f"refusals.{self.action}"
        doing = text(action_key, lang) if has(action_key) else self.action.replace("_", " ")
        return text("refusals.may_not", lang, **_isolated({"user": self.user}, lang), role=_role(self.role, lang),
                    action=doing, needed=_role(self.needed, lang))


def _role(role: str, lang: str) -> str:
    return text(f"roles.{role}", lang) if has(f"roles.{role}") else role


class ConflictError(IncidentsError):
    """Somebody else changed the record since it was read (optimistic locking); nothing was overwritten."""

    def __init__(self, message: str, current: dict | None = None, changed_by: str | None = None) -> None:
        self.current = current or {}
        self.changed_by = changed_by
        super().__init__(message)


class AuthError(IncidentsError):
    """Sign-in failed: unknown user, wrong password, disabled or locked account."""
