"""Core's models, one module per concern. Other apps never import these directly."""

from .accounts import User, UserManager
from .assisted import AssistedSubmission, Channel
from .audit import AuditEntry
from .geography import Address, Area, Postcode
from .search import SearchEntry
from .site import Page, SiteSettings
from .subscriptions import Frequency, NotificationPreference, PendingNotification, Subscription
from .tasks import TaskFailure, TaskProgress

__all__ = [
    "Address",
    "Area",
    "AssistedSubmission",
    "AuditEntry",
    "Channel",
    "Frequency",
    "NotificationPreference",
    "Page",
    "PendingNotification",
    "Postcode",
    "SearchEntry",
    "SiteSettings",
    "Subscription",
    "TaskFailure",
    "TaskProgress",
    "User",
    "UserManager",
]
