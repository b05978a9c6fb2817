from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

STANDARD_FILES = ("people", "offences", "custody", "flags")


class DeliveryUploadForm(forms.Form):
    people = forms.FileField(label="People", required=False, help_text="people.csv or people.parquet")
    offences = forms.FileField(label="Offences", required=False, help_text="offences.csv or offences.parquet")
    custody = forms.FileField(label="Custody periods", required=False, help_text="custody.csv or custody.parquet")
    flags = forms.FileField(label="Flags", required=False, help_text="flags.csv or flags.parquet")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in STANDARD_FILES):
            self.add_error("people", "Choose at least one file to upload")
        for name in STANDARD_FILES:
            upload: UploadedFile | None = data.get(name)
            if upload is not None and not (upload.name or "").lower().endswith((".csv", ".parquet")):
                self.add_error(name, f"The {name} file must be a CSV (.csv) or Parquet (.parquet) file")
        return data

    def standard_files(self) -> dict[str, UploadedFile]:
        """The uploads under their standard names (people.csv, offences.parquet, ...)."""
        out: dict[str, UploadedFile] = {}
        for name in STANDARD_FILES:
            upload = self.cleaned_data.get(name)
            if upload is not None:
                ext = "parquet" if (upload.name or "").lower().endswith(".parquet") else "csv"
                out[f"{name}.{ext}"] = upload
        return out
