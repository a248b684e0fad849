"""Core's models, one module per concern. Other apps never import these directly."""

from .accounts import User, UserManager
from .audit import AuditEntry
from .geography import Address, Area, Postcode
from .search import SearchEntry
from .site import Page, SiteSettings
from .subscriptions import Frequency, NotificationPreference, PendingNotification, Subscription
from .tasks import TaskFailure, TaskProgress

__all__ = [
    "Address",
    "Area",
    "AuditEntry",
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
