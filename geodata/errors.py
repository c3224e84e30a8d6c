"""Named exceptions of the geodata package; each failure mode has one."""

from __future__ import annotations


class GeodataError(Exception):
    """Base class of every error raised by the geodata package."""


class DataFileError(GeodataError):
    """A bundled data file is missing or cannot be parsed."""


class SourcesNotFoundError(GeodataError):
    """The source folder given to ``build`` lacks a required file."""


class InvalidPlaceError(GeodataError):
    """A user-supplied place or alias is malformed (missing name, bad coordinates ...)."""


class UnknownLevelError(GeodataError):
    """An administrative level other than governorate, district or subdistrict was asked for."""


class UsageError(GeodataError):
    """The command line was called with arguments it does not understand."""
