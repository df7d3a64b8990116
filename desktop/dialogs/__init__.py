"""Background-job dialogs: add or update code sets, CPT import, index problems."""
