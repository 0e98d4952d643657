"""The signed agreement as a sealed PDF: rendering (render.py), storing it once (services.py),
who may download it (selectors.py) and the signal that starts it all (receivers.py)."""
