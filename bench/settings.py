"""Settings for the benchmark's database, worker and no-op worker: the test settings, with the SMS backend
taken from the environment (`portal.settings.test` pins it to locmem). Not used by the portal itself."""

from portal.settings.test import *  # noqa: F403
from portal.settings.test import SMS_BACKEND, env

SMS_BACKEND = env("SMS_BACKEND", default=SMS_BACKEND)
