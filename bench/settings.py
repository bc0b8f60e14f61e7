"""Settings for the benchmark's database, worker and no-op worker: the test settings, with the SMS backend
taken from the environment (`portal.settings.test` pins it to locmem). Not used by the portal itself."""

from portal.settings.test import *  # noqa: F403
from portal.settings.test import SMS_BACKEND, env

SMS_BACKEND = env("SMS_BACKEND", default=SMS_BACKEND)

# As in production (portal/settings/production.py): workers keep their database connection.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
