"""The apps that hold personal data of participants, found through their `personal_data` modules.

Every installed app may have `<app>/personal_data.py` with:

- `export(participant) -> dict[str, list[dict[str, str]]]`: section title → rows of label → value;
- `erase(participant) -> None`: blank names, contact details and free text about that person in the
  app's rows, keeping the rows so that counts stay right.

Optional:

- `last_activity(participant) -> datetime | None`: the person's latest activity in the app, so that
  retention counts from it;
- `AUDITED_MODELS`: model labels whose admin pages are logged in the privacy audit log.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

MODULE_NAME = "personal_data"
# The participant's own record is erased last: other apps may still read it while erasing theirs.
LAST = "people"


@cache
def providers():
    """[(app label, module)] of every installed app with a personal data module, `people` first."""
    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, MODULE_NAME):
            continue
        module = import_module(f"{config.name}.{MODULE_NAME}")
        for required in ("export", "erase"):
            if not callable(getattr(module, required, None)):
                raise TypeError(f"{module.__name__} must define {required}(participant).")
        found.append((config.label, module))
    found.sort(key=lambda item: item[0] != LAST)
    return tuple(found)


def erasers():
    """The modules in erasing order: the participant's own record last."""
    return sorted(providers(), key=lambda item: item[0] == LAST)


def audited_model_labels():
    labels = set()
    for _label, module in providers():
        labels.update(getattr(module, "AUDITED_MODELS", ()))
    return frozenset(labels)
