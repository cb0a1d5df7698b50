"""Pendientes: what the signed-in person follows up, overdue first, and their e-mail reminder preferences."""

from accompaniment.ui import reminders

reminders.render()
