"""The upload form every import page shows."""

from django import forms
from django.utils.translation import gettext_lazy


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("file (.xlsx or .csv)"))
