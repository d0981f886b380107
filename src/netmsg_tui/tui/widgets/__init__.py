"""Widgets: they show state and post messages (nested Message classes); they never push
screens nor import screens or dialogs."""
