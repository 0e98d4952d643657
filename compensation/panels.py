def coordinator_panel(request, assignment):
    return ""


def resource_panel(request, assignment):
    return ""


def unit_panel(request, assignment):
    return ""
