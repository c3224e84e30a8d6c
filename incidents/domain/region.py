"""The region the project maps: Deir ez-Zor governorate, by its OCHA P-code (admin level 1)."""

from __future__ import annotations

#: OCHA P-code of Deir ez-Zor governorate; districts (``SY0902``) and sub-districts (``SY090201``) extend it.
GOVERNORATE = "SY09"
