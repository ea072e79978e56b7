def home_panel(request) -> str:
    return ""
