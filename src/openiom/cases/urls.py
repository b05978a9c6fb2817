"""Case management pages: the lists (`urls_lists.py`) and one case with its forms (`urls_case.py`)."""

from .urls_case import urlpatterns as case_patterns
from .urls_lists import urlpatterns as list_patterns

app_name = "cases"

urlpatterns = [*list_patterns, *case_patterns]
