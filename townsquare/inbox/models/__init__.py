from townsquare.inbox.models.core import (
    Contact,
    Conversation,
    ConversationStatus,
    InboxCursor,
    Message,
    MessageKind,
    Priority,
)
from townsquare.inbox.models.learning import TriageCorrection, TriageModelVersion
from townsquare.inbox.models.register import FeedbackItem, FeedbackTopic, TopicStatus
from townsquare.inbox.models.replies import (
    InternalNote,
    Reply,
    ReplyStatus,
    SavedReply,
    Viewing,
)
from townsquare.inbox.models.routing import (
    Department,
    Forward,
    ForwardStatus,
    InboxSettings,
    Rule,
    Team,
)

__all__ = [
    "Contact",
    "Conversation",
    "ConversationStatus",
    "Department",
    "FeedbackItem",
    "FeedbackTopic",
    "Forward",
    "ForwardStatus",
    "InboxCursor",
    "InboxSettings",
    "InternalNote",
    "Message",
    "MessageKind",
    "Priority",
    "Reply",
    "ReplyStatus",
    "Rule",
    "SavedReply",
    "Team",
    "TopicStatus",
    "TriageCorrection",
    "TriageModelVersion",
    "Viewing",
]
