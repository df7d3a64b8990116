"""The search feature of the shell: search bar panel, controller (worker thread), results model and delegate."""
