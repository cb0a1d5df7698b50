"""Evidencia: one evidence file by its link (``evidencia?archivo=<sha256>``), for whoever the store lets read it."""

from accompaniment.ui import evidence_download

evidence_download.download_view()
