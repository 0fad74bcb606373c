"""Imports every feature's tables so Alembic and migration tests see the whole schema."""

from ipec.accounts import models as accounts_models  # noqa: F401
from ipec.assistance import models as assistance_models  # noqa: F401
from ipec.cases import models as cases_models  # noqa: F401
from ipec.customs import models as customs_models  # noqa: F401
from ipec.files import models as files_models  # noqa: F401
from ipec.ledger import models as ledger_models  # noqa: F401
from ipec.notices import models as notices_models  # noqa: F401
from ipec.rights import models as rights_models  # noqa: F401
from ipec.screening import models as screening_models  # noqa: F401
