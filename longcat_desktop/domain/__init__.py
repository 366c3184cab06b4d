"""Plain data shared by every layer. Standard library only."""

from longcat_desktop.domain.chat import (
    ApiFormat,
    ChatRequest,
    ImagePart,
    Message,
    Role,
    Tool,
    ToolCall,
)
from longcat_desktop.domain.errors import (
    ApiConnectionError,
    ApiError,
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    ProtocolError,
    QuotaExceededError,
    RateLimitError,
    ServerError,
)
from longcat_desktop.domain.events import (
    ChatResult,
    ReasoningDelta,
    ReasoningSignature,
    Retrying,
    StreamEnd,
    StreamEvent,
    TextDelta,
    ToolCallDelta,
    Usage,
)
from longcat_desktop.domain.models import ModelDetails, ModelInfo

__all__ = [
    "ApiConnectionError",
    "ApiError",
    "ApiFormat",
    "AuthenticationError",
    "BadRequestError",
    "ChatRequest",
    "ChatResult",
    "ImagePart",
    "Message",
    "ModelDetails",
    "ModelInfo",
    "PermissionDeniedError",
    "ProtocolError",
    "QuotaExceededError",
    "RateLimitError",
    "ReasoningDelta",
    "ReasoningSignature",
    "Retrying",
    "Role",
    "ServerError",
    "StreamEnd",
    "StreamEvent",
    "TextDelta",
    "Tool",
    "ToolCall",
    "ToolCallDelta",
    "Usage",
]
