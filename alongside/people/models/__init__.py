"""The people app's models, by what they are about (`person`, `contact`, `history`),
imported from here: `from alongside.people.models import Person`."""

from alongside.people.models.contact import CHANNEL_FIELDS as CHANNEL_FIELDS
from alongside.people.models.contact import CHANNELS as CHANNELS
from alongside.people.models.contact import CHANNELS_BY_KIND as CHANNELS_BY_KIND
from alongside.people.models.contact import ContactPoint as ContactPoint
from alongside.people.models.contact import Identifier as Identifier
from alongside.people.models.contact import PersonLanguage as PersonLanguage
from alongside.people.models.contact import SupportContact as SupportContact
from alongside.people.models.contact import within as within
from alongside.people.models.history import PROFILE_FIELDS as PROFILE_FIELDS
from alongside.people.models.history import Profile as Profile
from alongside.people.models.history import RecordChange as RecordChange
from alongside.people.models.history import TimelineEntry as TimelineEntry
from alongside.people.models.person import Enrollment as Enrollment
from alongside.people.models.person import Person as Person
from alongside.people.models.person import PersonQuerySet as PersonQuerySet
from alongside.people.models.person import organizations_reached as organizations_reached
from alongside.people.models.person import rows_reached as rows_reached
