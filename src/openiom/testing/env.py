"""A pytest plugin loaded with `-p openiom.testing.env`, before Django reads its settings.

It sets the environment the test suite runs in: background tasks run at once
(the immediate backend) and job output goes to a temporary folder. A
`DATABASE_URL` already in the environment is kept, so the same suite runs on
PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("OPENIOM_TASKS_BACKEND", "immediate")
os.environ.setdefault("OPENIOM_JOB_OUTPUT_DIR", tempfile.mkdtemp(prefix="openiom-test-jobs-"))
os.environ.setdefault("OPENIOM_PRODUCTION", "false")
