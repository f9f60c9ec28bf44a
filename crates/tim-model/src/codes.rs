//! Every TIM error code (`TIMErrCode`, the `code` argument of `TIMCommCallback`) in one table:
//! name, number and message, exactly as `docs/spec/enums.md` lists them (a test checks the
//! table against that file), plus the synchronous return values (`TIMResult`).
//!
//! This is the only place where a TIM number is written down: every crate maps its errors to a
//! code from here, never to a literal.

/// One TIM error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// The C enum name (`ERR_INVALID_JSON`), spelled as the headers spell it, typos included.
    pub name: &'static str,
    /// The number.
    pub code: i32,
    /// What it means, in a sentence.
    pub message: &'static str,
}

macro_rules! codes {
    ($( $name:ident = $code:expr, $message:literal; )*) => {
        $(
            #[doc = $message]
            pub const $name: i32 = $code;
        )*

        /// Every error code, in the order of `docs/spec/enums.md` section 6. Two names share
        /// 6012 (`ERR_REQUEST_TIMEOUT` in older headers, `ERR_REQUEST_TIME_OUT` in newer ones).
        pub const ALL: &[ErrorCode] = &[$(ErrorCode { name: stringify!($name), code: $code, message: $message }),*];
    };
}

codes! {
    // 6.1 SDK — common, parameters, JSON, database
    ERR_SUCC = 0, "Success";
    ERR_PARSE_RESPONSE_FAILED = 6001, "Internal protobuf decode failure";
    ERR_SERIALIZE_REQ_FAILED = 6002, "Internal protobuf encode failure";
    ERR_LOADMSG_FAILED = 6005, "Local database load failed (possible corruption)";
    ERR_SDK_NOT_INITIALIZED = 6013, "SDK not initialised";
    ERR_IN_PROGESS = 6015, "Same operation already in progress; call serially";
    ERR_INVALID_PARAMETERS = 6017, "Invalid argument (desc names the field)";
    ERR_DATABASE_OPERATE_FAILED = 6019, "Local DB operation failed (permissions/corruption)";
    ERR_IO_OPERATION_FAILED = 6022, "Local I/O failure (permissions / disk full)";
    ERR_INVALID_JSON = 6027, "Invalid JSON (desc names the field)";
    ERR_OUT_OF_MEMORY = 6028, "Out of memory";
    ERR_SDK_COMM_CROSS_THREAD = 7001, "Internal cross-thread misuse";
    ERR_SDK_COMM_TINYID_EMPTY = 7002, "Internal numeric user ID missing";
    ERR_SDK_COMM_INVALID_IDENTIFIER = 7003, "Invalid UserID: must be non-empty printable ASCII 0x20–0x7e, ≤32 bytes";
    ERR_SDK_COMM_FILE_NOT_FOUND = 7004, "File path does not exist";
    ERR_SDK_COMM_FILE_TOO_LARGE = 7005, "File too large: O says 28 MB max; N/E/F say image & voice 28 MB, video & file 100 MB";
    ERR_SDK_COMM_FILE_SIZE_EMPTY = 7006, "Zero-byte file";
    ERR_SDK_COMM_FILE_OPEN_FAILED = 7007, "File cannot be opened";
    ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT = 7008, "Client-side API rate limit hit";
    ERR_SDK_COMM_INTERRUPT = 7009, "Operation interrupted (e.g. uninit during login)";
    ERR_SDK_COMM_DATABASE_FAILURE = 7010, "Database operation failure";
    ERR_SDK_COMM_DATABASE_NOTFOUND = 7011, "Requested record not in database";
    ERR_SDK_INTERNAL_ERROR = 7012, "Unexpected internal error";
    ERR_SDK_INTERFACE_NOT_SUPPORT = 7013, "Plan does not include this API (needs Ultimate/flagship)";
    ERR_SDK_INVALID_OPERATION = 7014, "Illegal request";
    // 6.2 SDK — account / login
    ERR_SDK_NOT_LOGGED_IN = 6014, "Not logged in (or kicked)";
    ERR_NO_PREVIOUS_LOGIN = 6026, "Auto-login impossible; never logged in before";
    ERR_USER_SIG_EXPIRED = 6206, "UserSig expired; log in again with a new one";
    ERR_LOGIN_KICKED_OFF_BY_OTHER = 6208, "Same account logged in elsewhere";
    ERR_SDK_ACCOUNT_LOGIN_IN_PROCESS = 7501, "A login is already running";
    ERR_SDK_ACCOUNT_LOGOUT_IN_PROCESS = 7502, "A logout is already running";
    ERR_SDK_ACCOUNT_TLS_INIT_FAILED = 7503, "Internal TLS module init failed";
    ERR_SDK_ACCOUNT_TLS_NOT_INITIALIZED = 7504, "Internal TLS module not initialised";
    ERR_SDK_ACCOUNT_TLS_TRANSPKG_ERROR = 7505, "Internal TLS packet format error";
    ERR_SDK_ACCOUNT_TLS_DECRYPT_FAILED = 7506, "Internal TLS decrypt failure";
    ERR_SDK_ACCOUNT_TLS_REQUEST_FAILED = 7507, "Internal TLS request failed";
    ERR_SDK_ACCOUNT_TLS_REQUEST_TIMEOUT = 7508, "Internal TLS request timed out";
    // 6.3 SDK — message
    ERR_INVALID_CONVERSATION = 6004, "Invalid conversation (e.g. used before login)";
    ERR_FILE_TRANS_AUTH_FAILED = 6006, "File transfer authentication failed";
    ERR_FILE_TRANS_NO_SERVER = 6007, "Could not get file-transfer server list";
    ERR_FILE_TRANS_UPLOAD_FAILED = 6008, "Upload failed (check network)";
    ERR_FILE_TRANS_DOWNLOAD_FAILED = 6009, "Download failed (network, or resource expired — resources kept 7 days)";
    ERR_HTTP_REQ_FAILED = 6010, "HTTP request failed (check URL)";
    ERR_INVALID_MSG_ELEM = 6016, "Invalid message element (desc names the field)";
    ERR_INVALID_SDK_OBJECT = 6021, "Invalid SDK object";
    ERR_IMAGE_UPLOAD_FAILED_NOTIMAGE = 6031, "Upload failed: file is not a readable image";
    ERR_INVALID_MSG_RECEIVER = 6032, "Receiver does not exist";
    ERR_SDK_MSG_BODY_SIZE_LIMIT = 8001, "Message too long. Limit is the sum of all element field lengths: O/N say 8 KB, E/F say 12 KB";
    ERR_SDK_MSG_KEY_REQ_DIFFER_RSP = 8002, "Internal: response key does not match request";
    ERR_SDK_IMAGE_CONVERT_ERROR = 8003, "Image-processing (thumbnail) HTTP request failed";
    ERR_SDK_IMAGE_CI_BLOCK = 8004, "Thumbnail generation blocked by content checks";
    ERR_MERGER_MSG_LAYERS_OVER_LIMIT = 8005, "Merged message nested deeper than 100 levels";
    ERR_SDK_MSG_MODIFY_CONFLICT = 8006, "Modify conflict: message changed by someone else meanwhile";
    ERR_SDK_SIGNALING_INVALID_INVITE_ID = 8010, "Signaling invite ID invalid or already handled";
    ERR_SDK_SIGNALING_NO_PERMISSION = 8011, "Signaling operation not permitted";
    ERR_SDK_SIGNALING_ALREADY_EXISTS = 8012, "Signaling invitation already exists";
    ERR_SDK_INVALID_CANCEL_MESSAGE = 8020, "Cancel failed: message unknown or already sent";
    ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL = 8021, "Send failed because the message was cancelled";
    // 6.4 SDK — group and relationship parameter checks (for completeness)
    ERR_SDK_GROUP_INVALID_ID = 8501, "Invalid group ID: printable ASCII, ≤48 bytes, custom IDs must not start with `@TGS#`";
    ERR_SDK_GROUP_INVALID_NAME = 8502, "Group name >30 bytes (UTF-8)";
    ERR_SDK_GROUP_INVALID_INTRODUCTION = 8503, "Introduction >240 bytes";
    ERR_SDK_GROUP_INVALID_NOTIFICATION = 8504, "Notice >300 bytes";
    ERR_SDK_GROUP_INVALID_FACE_URL = 8505, "Avatar URL >100 bytes";
    ERR_SDK_GROUP_INVALID_NAME_CARD = 8506, "Name card >50 bytes";
    ERR_SDK_GROUP_MEMBER_COUNT_LIMIT = 8507, "Too many members for the group type";
    ERR_SDK_GROUP_JOIN_PRIVATE_GROUP_DENY = 8508, "Cannot apply to join a Private/Work group";
    ERR_SDK_GROUP_INVITE_SUPER_DENY = 8509, "Cannot invite someone as owner";
    ERR_SDK_GROUP_INVITE_NO_MEMBER = 8510, "Invite list empty";
    ERR_SDK_GROUP_ATTR_FREQUENCY_LIMIT = 8511, "Group-attribute rate limit (N: write 5/s server-side, read 20 per 5 s)";
    ERR_SDK_GROUP_GET_ONLINE_MEMBER_COUNT_LIMIT = 8512, "Online-count query limited to 1 per 60 s (N,F)";
    ERR_SDK_GROUP_GET_GROUPS_INFO_LIMIT = 8513, "Group-info query limited to 1/s (N,F)";
    ERR_SDK_GROUP_GET_JOINED_GROUP_LIMIT = 8514, "Joined-group list query limited to 1/s (N,F)";
    ERR_SDK_FRIENDSHIP_INVALID_PROFILE_KEY = 9001, "Invalid profile field key/value";
    ERR_SDK_FRIENDSHIP_INVALID_ADD_REMARK = 9002, "Remark >96 bytes";
    ERR_SDK_FRIENDSHIP_INVALID_ADD_WORDING = 9003, "Friend-request wording >120 bytes";
    ERR_SDK_FRIENDSHIP_INVALID_ADD_SOURCE = 9004, "Add-source must start with `AddSource_Type_`";
    ERR_SDK_FRIENDSHIP_FRIEND_GROUP_EMPTY = 9005, "Invalid friend-list name";
    ERR_SDK_FRIENDSHIP_EXCEED_THE_LIMIT = 9006, "Count limit exceeded (N,F)";
    // 6.5 SDK — network
    ERR_SDK_NET_ENCODE_FAILED = 9501, "Internal encrypt failure";
    ERR_SDK_NET_DECODE_FAILED = 9502, "Internal decrypt failure";
    ERR_SDK_NET_AUTH_INVALID = 9503, "Connection not authenticated yet (login incomplete)";
    ERR_SDK_NET_COMPRESS_FAILED = 9504, "Packet compression failed";
    ERR_SDK_NET_UNCOMPRESS_FAILED = 9505, "Packet decompression failed";
    ERR_SDK_NET_FREQ_LIMIT = 9506, "Request rate limit: max 5 requests per second";
    ERR_SDK_NET_REQ_COUNT_LIMIT = 9507, "Request queue full: max 1000 concurrent requests";
    ERR_SDK_NET_DISCONNECT = 9508, "No network / not connected";
    ERR_SDK_NET_ALLREADY_CONN = 9509, "Duplicate connection (internal)";
    ERR_SDK_NET_CONN_TIMEOUT = 9510, "Connection setup timed out";
    ERR_SDK_NET_CONN_REFUSE = 9511, "Connection refused (too frequent)";
    ERR_SDK_NET_NET_UNREACH = 9512, "No route to network";
    ERR_SDK_NET_SOCKET_NO_BUFF = 9513, "OS out of socket buffers";
    ERR_SDK_NET_RESET_BY_PEER = 9514, "Connection reset by server; SDK reconnects";
    ERR_SDK_NET_SOCKET_INVALID = 9515, "Invalid socket";
    ERR_SDK_NET_HOST_GETADDRINFO_FAILED = 9516, "Address resolution failed";
    ERR_SDK_NET_CONNECT_RESET = 9517, "Connection reset by intermediate node/server";
    ERR_SDK_NET_WAIT_INQUEUE_TIMEOUT = 9518, "Timed out waiting to enter send queue";
    ERR_SDK_NET_WAIT_SEND_TIMEOUT = 9519, "Timed out waiting to reach OS network layer";
    ERR_SDK_NET_WAIT_ACK_TIMEOUT = 9520, "Timed out waiting for server response";
    ERR_SDK_NET_WAIT_SEND_REMAINING_TIMEOUT = 9521, "Timed out sending the remainder of a packet";
    ERR_SDK_NET_PKG_SIZE_LIMIT = 9522, "Request packet >1 MB";
    ERR_SDK_NET_WAIT_SEND_TIMEOUT_NO_NETWORK = 9523, "As 9519, network absent at callback time";
    ERR_SDK_NET_WAIT_ACK_TIMEOUT_NO_NETWORK = 9524, "As 9520, network absent";
    ERR_SDK_NET_SEND_REMAINING_TIMEOUT_NO_NETWORK = 9525, "As 9521, network absent";
    // 6.6 Server — access layer (SSO)
    ERR_SVR_SSO_CONNECT_LIMIT = -302, "Server connection limit reached";
    ERR_SVR_SSO_VCODE = -10000, "Verification-code flag error";
    ERR_SVR_SSO_D2_EXPIRED = -10001, "Internal session key expired (re-login)";
    ERR_SVR_SSO_A2_UP_INVALID = -10003, "Internal ticket expired/invalid (re-login)";
    ERR_SVR_SSO_A2_DOWN_INVALID = -10004, "Ticket rejected on downlink / security block";
    ERR_SVR_SSO_EMPTY_KEY = -10005, "Empty key not allowed";
    ERR_SVR_SSO_UIN_INVALID = -10006, "Key account mismatch";
    ERR_SVR_SSO_VCODE_TIMEOUT = -10007, "Verification code timed out";
    ERR_SVR_SSO_NO_IMEI_AND_A2 = -10008, "Key and ticket required";
    ERR_SVR_SSO_COOKIE_INVALID = -10009, "Invalid cookie";
    ERR_SVR_SSO_DOWN_TIP = -10101, "Key expired (with prompt)";
    ERR_SVR_SSO_DISCONNECT = -10102, "Disconnected (screen lock)";
    ERR_SVR_SSO_IDENTIFIER_INVALID = -10103, "Identity invalidated";
    ERR_SVR_SSO_CLIENT_CLOSE = -10104, "Client auto-exit";
    ERR_SVR_SSO_MSFSDK_QUIT = -10105, "Transport layer auto-exit";
    ERR_SVR_SSO_D2KEY_WRONG = -10106, "Too many decrypt failures; reset and re-login";
    ERR_SVR_SSO_UNSURPPORT = -10107, "Aggregation unsupported";
    ERR_SVR_SSO_PREPAID_ARREARS = -10108, "Prepaid account in arrears";
    ERR_SVR_SSO_PACKET_WRONG = -10109, "Malformed request packet";
    ERR_SVR_SSO_APPID_BLACK_LIST = -10110, "SDKAppID blocked";
    ERR_SVR_SSO_CMD_BLACK_LIST = -10111, "Command blocked for this SDKAppID";
    ERR_SVR_SSO_APPID_WITHOUT_USING = -10112, "SDKAppID disabled";
    ERR_SVR_SSO_FREQ_LIMIT = -10113, "Per-user, per-command rate limit";
    ERR_SVR_SSO_OVERLOAD = -10114, "Server overloaded, request dropped";
    ERR_SVR_SSO_FREQUENCY_LIMIT = -20009, "Client API call rate exceeded (new: E,F)";
    // 6.7 Server — resource (file) transfer
    ERR_SVR_RES_NOT_FOUND = 114000, "Resource file missing";
    ERR_SVR_RES_ACCESS_DENY = 114001, "Resource file not accessible";
    ERR_SVR_RES_SIZE_LIMIT = 114002, "File too large";
    ERR_SVR_RES_SEND_CANCEL = 114003, "Transfer cancelled (e.g. logout)";
    ERR_SVR_RES_READ_FAILED = 114004, "Reading file failed";
    ERR_SVR_RES_TRANSFER_TIMEOUT = 114005, "Transfer timed out";
    ERR_SVR_RES_INVALID_PARAMETERS = 114011, "Invalid parameter";
    ERR_SVR_RES_INVALID_FILE_MD5 = 115066, "Whole-file MD5 mismatch";
    ERR_SVR_RES_INVALID_PART_MD5 = 115068, "Chunk MD5 mismatch";
    // 6.8 Server — common backend
    ERR_SVR_COMM_INVALID_HTTP_URL = 60002, "Bad HTTP URL";
    ERR_SVR_COMM_REQ_JSON_PARSE_FAILED = 60003, "Request JSON unparsable";
    ERR_SVR_COMM_INVALID_ACCOUNT = 60004, "Bad identifier or UserSig";
    ERR_SVR_COMM_INVALID_ACCOUNT_EX = 60005, "Bad identifier or UserSig";
    ERR_SVR_COMM_INVALID_SDKAPPID = 60006, "SDKAppID invalid";
    ERR_SVR_COMM_REST_FREQ_LIMIT = 60007, "REST rate limit";
    ERR_SVR_COMM_REQUEST_TIMEOUT = 60008, "Service timeout / bad HTTP format";
    ERR_SVR_COMM_INVALID_RES = 60009, "Bad resource in URL";
    ERR_SVR_COMM_ID_NOT_ADMIN = 60010, "Admin account required";
    ERR_SVR_COMM_SDKAPPID_FREQ_LIMIT = 60011, "Per-app rate limit";
    ERR_SVR_COMM_SDKAPPID_MISS = 60012, "SDKAppID missing";
    ERR_SVR_COMM_RSP_JSON_PARSE_FAILED = 60013, "Response JSON unparsable";
    ERR_SVR_COMM_EXCHANGE_ACCOUNT_TIMEUT = 60014, "Account exchange timed out";
    ERR_SVR_COMM_INVALID_ID_FORMAT = 60015, "Identifier must be a string";
    ERR_SVR_COMM_SDKAPPID_FORBIDDEN = 60016, "SDKAppID disabled";
    ERR_SVR_COMM_REQ_FORBIDDEN = 60017, "Request disabled";
    ERR_SVR_COMM_REQ_FREQ_LIMIT = 60018, "Too frequent";
    ERR_SVR_COMM_REQ_FREQ_LIMIT_EX = 60019, "Too frequent";
    ERR_SVR_COMM_INVALID_SERVICE = 60020, "Feature/plan not purchased or not yet active (e.g. cloud search)";
    ERR_SVR_COMM_SENSITIVE_TEXT = 80001, "Text blocked by content security";
    ERR_SVR_COMM_BODY_SIZE_LIMIT = 80002, "Message body too long (N: 8 KB; E/F: 12 KB)";
    ERR_SVR_COMM_PRE_HOOK_FAILED = 80003, "Before-send webhook failed or timed out; message not delivered";
    ERR_SVR_COMM_SENSITIVE_IMAGE = 80004, "Image blocked by content security";
    ERR_SVR_COMM_SERVICE_DISABLED = 80005, "Service stopped (plan expired / arrears)";
    // 6.9 Server — account
    ERR_SVR_ACCOUNT_USERSIG_EXPIRED = 70001, "UserSig expired";
    ERR_SVR_ACCOUNT_USERSIG_EMPTY = 70002, "UserSig empty";
    ERR_SVR_ACCOUNT_USERSIG_CHECK_FAILED = 70003, "UserSig check failed (truncated?)";
    ERR_SVR_ACCOUNT_USERSIG_CHECK_FAILED_EX = 70005, "UserSig check failed";
    ERR_SVR_ACCOUNT_USERSIG_MISMATCH_PUBLICKEY = 70009, "UserSig signed with wrong key";
    ERR_SVR_ACCOUNT_USERSIG_MISMATCH_ID = 70013, "UserSig for another identifier";
    ERR_SVR_ACCOUNT_USERSIG_MISMATCH_SDKAPPID = 70014, "UserSig for another SDKAppID";
    ERR_SVR_ACCOUNT_USERSIG_PUBLICKEY_NOT_FOUND = 70016, "No verification key configured";
    ERR_SVR_ACCOUNT_SDKAPPID_NOT_FOUND = 70020, "SDKAppID unknown";
    ERR_SVR_ACCOUNT_FREQ_LIMIT = 70050, "Too many failed attempts; retry after 1 minute";
    ERR_SVR_ACCOUNT_BLACKLIST = 70051, "Account blocked";
    ERR_SVR_ACCOUNT_INVALID_USERSIG = 70052, "UserSig invalidated";
    ERR_LOGIN_SIG_EXPIRE = 70101, "Ticket expired at login";
    ERR_SVR_ACCOUNT_NOT_FOUND = 70107, "Account does not exist";
    ERR_SVR_ACCOUNT_SEC_RSTR = 70114, "Restricted for security reasons";
    ERR_SVR_ACCOUNT_INTERNAL_TIMEOUT = 70169, "Internal timeout";
    ERR_SVR_ACCOUNT_INVALID_COUNT = 70206, "Invalid batch size";
    ERR_SVR_ACCOUNT_COUNT_LIMIT = 70398, "Free-tier account limit";
    ERR_SVR_ACCOUNT_INVALID_PARAMETERS = 70402, "Invalid parameters";
    ERR_SVR_ACCOUNT_ADMIN_REQUIRED = 70403, "Admin required";
    ERR_SVR_ACCOUNT_INTERNAL_ERROR = 70500, "Internal error";
    ERR_SVR_ACCOUNT_USER_STATUS_DISABLED = 72001, "User-status feature not enabled";
    ERR_SVR_PROFILE_SUBSCRIPTION_DISABLED = 72012, "Profile subscription not enabled";
    // 6.10 Server — message (including message-specific limits)
    ERR_SVR_MSG_PKG_PARSE_FAILED = 20001, "Invalid request (check sender/receiver exist)";
    ERR_SVR_MSG_INTERNAL_AUTH_FAILED = 20002, "Internal auth failed";
    ERR_SVR_MSG_INVALID_ID = 20003, "Identifier invalid / not imported";
    ERR_SVR_MSG_NET_ERROR = 20004, "Network error";
    ERR_SVR_MSG_INTERNAL_ERROR1 = 20005, "Internal error";
    ERR_SVR_MSG_PUSH_DENY = 20006, "Blocked by the app's before-send webhook";
    ERR_SVR_MSG_IN_PEER_BLACKLIST = 20007, "Sender is on receiver's blocklist";
    ERR_SVR_MSG_BOTH_NOT_FRIEND = 20009, "Not friends (friend check enabled)";
    ERR_SVR_MSG_NOT_PEER_FRIEND = 20010, "Sender not in receiver's friend list";
    ERR_SVR_MSG_NOT_SELF_FRIEND = 20011, "Receiver not in sender's friend list";
    ERR_SVR_MSG_SHUTUP_DENY = 20012, "Sender is muted";
    ERR_SVR_MSG_REVOKE_TIME_LIMIT = 20016, "C2C revoke window exceeded (default 2 min)";
    ERR_SVR_MSG_DEL_RAMBLE_INTERNAL_ERROR = 20018, "Internal error deleting roaming messages";
    ERR_SVR_MSG_EXTENSION_CONFLICT = 23001, "Concurrent update of the same extension key; latest state returned";
    ERR_SVR_MSG_EXTENSION_NOT_EXIST = 23004, "Extension to delete does not exist";
    ERR_SVR_MSG_REACTION_COUNT_LIMIT = 23005, "Message already has max reactions (10)";
    ERR_SVR_MSG_REACTION_USER_COUNT_LIMIT = 23006, "Reaction already has max users (100)";
    ERR_SVR_MSG_REACTION_ALREADY_CONTAIN_USER = 23007, "User already in this reaction";
    ERR_SVR_MSG_REACTION_NOT_EXISTS = 23008, "Reaction does not exist";
    ERR_SVR_MSG_REACTION_NOT_CONTAIN_USER = 23009, "User not in this reaction";
    ERR_SVR_MSG_JSON_PARSE_FAILED = 90001, "JSON parse failure (REST)";
    ERR_SVR_MSG_INVALID_JSON_BODY_FORMAT = 90002, "MsgBody malformed / not array (REST)";
    ERR_SVR_MSG_INVALID_TO_ACCOUNT = 90003, "To_Account missing/wrong type (REST)";
    ERR_SVR_MSG_INVALID_RAND = 90005, "MsgRandom missing/wrong type (REST)";
    ERR_SVR_MSG_INVALID_TIMESTAMP = 90006, "MsgTimeStamp missing/wrong type (REST)";
    ERR_SVR_MSG_BODY_NOT_ARRAY = 90007, "MsgBody not an array (REST)";
    ERR_SVR_MSG_ADMIN_REQUIRED = 90009, "Admin required";
    ERR_SVR_MSG_INVALID_JSON_FORMAT = 90010, "Message format invalid (REST)";
    ERR_SVR_MSG_TO_ACCOUNT_COUNT_LIMIT = 90011, "Batch send: more than 500 targets";
    ERR_SVR_MSG_TO_ACCOUNT_NOT_FOUND = 90012, "Target account not registered";
    ERR_SVR_MSG_TIME_LIMIT = 90026, "Offline retention >7 days requested";
    ERR_SVR_MSG_INVALID_SYNCOTHERMACHINE = 90031, "SyncOtherMachine wrong type (REST)";
    ERR_SVR_MSG_INVALID_MSGLIFETIME = 90044, "MsgLifeTime wrong type (REST)";
    ERR_SVR_MSG_ACCOUNT_NOT_FOUND = 90048, "Account does not exist";
    ERR_SVR_MSG_INTERNAL_ERROR5 = 90992, "Internal error (check webhook replies)";
    ERR_SVR_MSG_INTERNAL_ERROR2 = 90994, "Internal error";
    ERR_SVR_MSG_INTERNAL_ERROR3 = 90995, "Internal error";
    ERR_SVR_MSG_INTERNAL_ERROR4 = 91000, "Internal error";
    ERR_SVR_MSG_LONGPOLLING_COUNT_LIMIT = 91101, "Too many concurrent web instances";
    ERR_SVR_MSG_BODY_SIZE_LIMIT = 93000, "JSON packet too long (N: 8 KB; E/F: 12 KB)";
    // 6.11 Server — group (message-relevant subset first, then the rest)
    ERR_SVR_GROUP_PERMISSION_DENY = 10007, "Insufficient permission";
    ERR_SVR_GROUP_NOT_FOUND = 10010, "Group missing or dismissed";
    ERR_SVR_GROUP_REJECT_FROM_THIRDPARTY = 10016, "Rejected by app webhook";
    ERR_SVR_GROUP_SHUTUP_DENY = 10017, "Sender muted in group";
    ERR_SVR_GROUP_SEND_MSG_FREQ_LIMIT = 10023, "Group message rate limit";
    ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND = 10030, "Message to revoke not found";
    ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT = 10031, "Group revoke window exceeded (default 2 min)";
    ERR_SVR_GROUP_REVOKE_MSG_DENY = 10032, "This message cannot be revoked";
    ERR_SVR_GROUP_NOT_ALLOW_REVOKE_MSG = 10033, "Group type does not allow revoke";
    ERR_SVR_GROUP_REMOVE_MSG_DENY = 10034, "Message type cannot be deleted";
    ERR_SVR_GROUP_NOT_ALLOW_REMOVE_MSG = 10035, "AVChatRoom / BChatRoom do not support deleting messages";
    ERR_SVR_GROUP_PINNED_MESSAGE_COUNT_LIMIT = 10070, "Pinned-message limit";
    ERR_SVR_GROUP_MESSAGE_ALREADY_PINNED = 10071, "Already pinned";
    ERR_SVR_GROUP_INTERNAL_ERROR = 10002, "Internal error";
    ERR_SVR_GROUP_API_NAME_ERROR = 10003, "Wrong API name";
    ERR_SVR_GROUP_INVALID_PARAMETERS = 10004, "Invalid parameters";
    ERR_SVR_GROUP_ACOUNT_COUNT_LIMIT = 10005, "Too many accounts in request";
    ERR_SVR_GROUP_FREQ_LIMIT = 10006, "Rate limited";
    ERR_SVR_GROUP_INVALID_REQ = 10008, "Invalid request / signature";
    ERR_SVR_GROUP_SUPER_NOT_ALLOW_QUIT = 10009, "Owner may not quit";
    ERR_SVR_GROUP_JSON_PARSE_FAILED = 10011, "JSON parse failure";
    ERR_SVR_GROUP_INVALID_ID = 10012, "Invalid operator identifier";
    ERR_SVR_GROUP_ALLREADY_MEMBER = 10013, "Already a member";
    ERR_SVR_GROUP_FULL_MEMBER_COUNT = 10014, "Group full";
    ERR_SVR_GROUP_INVALID_GROUPID = 10015, "Invalid group ID";
    ERR_SVR_GROUP_RSP_SIZE_LIMIT = 10018, "Response >1 MB";
    ERR_SVR_GROUP_ACCOUNT_NOT_FOUND = 10019, "Account does not exist";
    ERR_SVR_GROUP_GROUPID_IN_USED = 10021, "Group ID taken";
    ERR_SVR_GROUP_REQ_ALLREADY_BEEN_PROCESSED = 10024, "Request already handled";
    ERR_SVR_GROUP_GROUPID_IN_USED_FOR_SUPER = 10025, "Group ID taken by you (owner)";
    ERR_SVR_GROUP_SDKAPPID_DENY = 10026, "Command disabled for app";
    ERR_SVR_GROUP_AVCHATROOM_COUNT_LIMIT = 10036, "AVChatRoom creation limit";
    ERR_SVR_GROUP_COUNT_LIMIT = 10037, "Per-user group limit";
    ERR_SVR_GROUP_MEMBER_COUNT_LIMIT = 10038, "Member limit";
    ERR_SVR_GROUP_ATTRIBUTE_WRITE_CONFILCT = 10056, "Group attribute write conflict (5.6+)";
    // 6.12 Server — conversation, profile, relationship (compact)
    ERR_SVR_CONV_ACCOUNT_NOT_FOUND = 50001, "conv account not found";
    ERR_SVR_PROFILE_INVALID_PARAMETERS = 40001, "profile invalid parameters";
    ERR_SVR_CONV_INVALID_PARAMETERS = 50002, "conv invalid parameters";
    ERR_SVR_PROFILE_ACCOUNT_MISS = 40002, "profile account miss";
    ERR_SVR_CONV_ADMIN_REQUIRED = 50003, "conv admin required";
    ERR_SVR_PROFILE_ACCOUNT_NOT_FOUND = 40003, "profile account not found";
    ERR_SVR_CONV_INTERNAL_ERROR = 50004, "conv internal error";
    ERR_SVR_PROFILE_ADMIN_REQUIRED = 40004, "profile admin required";
    ERR_SVR_CONV_NET_TIMEOUT = 50005, "conv net timeout";
    ERR_SVR_PROFILE_SENSITIVE_TEXT = 40005, "profile sensitive text";
    ERR_SVR_CONV_CONV_MARK_REQ_COUNT_EXCEED_LIMIT = 51006, "conv conv mark req count exceed limit";
    ERR_SVR_PROFILE_INTERNAL_ERROR = 40006, "profile internal error";
    ERR_SVR_CONV_CONV_MARK_OPERATE_FAILED = 51007, "conv conv mark operate failed";
    ERR_SVR_PROFILE_READ_PERMISSION_REQUIRED = 40007, "profile read permission required";
    ERR_SVR_CONV_CONV_MARK_TOTAL_COUNT_EXCEED_LIMIT = 51008, "conv conv mark total count exceed limit";
    ERR_SVR_PROFILE_WRITE_PERMISSION_REQUIRED = 40008, "profile write permission required";
    ERR_SVR_CONV_CONV_GROUP_NOT_EXIST = 51009, "conv conv group not exist";
    ERR_SVR_PROFILE_TAG_NOT_FOUND = 40009, "profile tag not found";
    ERR_SVR_CONV_CONV_GROUP_TOTAL_COUNT_EXCEED_LIMIT = 51010, "conv conv group total count exceed limit";
    ERR_SVR_PROFILE_SIZE_LIMIT = 40601, "profile size limit";
    ERR_SVR_CONV_CONV_GROUP_NAME_EXCEED_LENGTH = 51011, "conv conv group name exceed length";
    ERR_SVR_PROFILE_VALUE_ERROR = 40605, "profile value error";
    ERR_SVR_PROFILE_INVALID_VALUE_FORMAT = 40610, "profile invalid value format";
    // 6.13 Legacy "IM SDK V3" codes (still in every enum)
    ERR_NO_SUCC_RESULT = 6003, "Batch operation: nothing succeeded";
    ERR_TO_USER_INVALID = 6011, "Invalid receiver";
    ERR_REQUEST_TIMEOUT = 6012, "Request timed out";
    ERR_INIT_CORE_FAIL = 6018, "Core module init failed";
    ERR_EXPIRED_SESSION_NODE = 6020, "Session node missing";
    ERR_LOGGED_OUT_BEFORE_LOGIN_FINISHED = 6023, "Logout happened before login completed";
    ERR_TLSSDK_NOT_INITIALIZED = 6024, "TLS module not initialised";
    ERR_TLSSDK_USER_NOT_FOUND = 6025, "TLS user info missing";
    ERR_SERIVCE_NOT_READY = 6205, "Transport not ready";
    ERR_LOGIN_AUTH_FAILED = 6207, "Account authentication failed";
    ERR_NEVER_CONNECT_AFTER_LAUNCH = 6209, "Never connected since start";
    ERR_WIFI_NEED_AUTH = 6221, "Wi-Fi portal authentication needed";
    ERR_USER_CANCELED = 6222, "Cancelled by user";
    ERR_REVOKE_TIME_LIMIT_EXCEED = 6223, "Revoke window exceeded (default 2 min)";
    ERR_LACK_UGC_EXT = 6224, "UGC extension missing";
    ERR_AUTOLOGIN_NEED_USERSIG = 6226, "Auto-login ticket expired; need UserSig";
    ERR_QAL_NO_SHORT_CONN_AVAILABLE = 6300, "No short-connection endpoint";
    ERR_REQ_CONTENT_ATTACK = 80101, "Message content blocked";
    ERR_SDK_HAD_INITIALIZED = 90101, "SDK already initialised";
    ERR_OPENBDH_BASE = 115000, "Base of file-transfer (OpenBDH) errors";
    // 6.14 Codes named in the docs but spelled differently from the enum
    // 6.13 ranges, expanded
    ERR_BIND_FAIL_UNKNOWN = 6100, "Bind failure: unknown";
    ERR_BIND_FAIL_NO_SSOTICKET = 6101, "Bind failure: no ssoticket";
    ERR_BIND_FAIL_REPEATD_BIND = 6102, "Bind failure: repeatd bind";
    ERR_BIND_FAIL_TINYID_NULL = 6103, "Bind failure: tinyid null";
    ERR_BIND_FAIL_GUID_NULL = 6104, "Bind failure: guid null";
    ERR_BIND_FAIL_UNPACK_REGPACK_FAILED = 6105, "Bind failure: unpack regpack failed";
    ERR_BIND_FAIL_REG_TIMEOUT = 6106, "Bind failure: reg timeout";
    ERR_BIND_FAIL_ISBINDING = 6107, "Bind failure: isbinding";
    ERR_PACKET_FAIL_UNKNOWN = 6120, "Packet failure: unknown";
    ERR_PACKET_FAIL_REQ_NO_NET = 6121, "Packet failure: req no net";
    ERR_PACKET_FAIL_RESP_NO_NET = 6122, "Packet failure: resp no net";
    ERR_PACKET_FAIL_REQ_NO_AUTH = 6123, "Packet failure: req no auth";
    ERR_PACKET_FAIL_SSO_ERR = 6124, "Packet failure: sso err";
    ERR_PACKET_FAIL_REQ_TIMEOUT = 6125, "Packet failure: req timeout";
    ERR_PACKET_FAIL_RESP_TIMEOUT = 6126, "Packet failure: resp timeout";
    ERR_PACKET_FAIL_REQ_ON_RESEND = 6127, "Packet failure: req on resend";
    ERR_PACKET_FAIL_RESP_NO_RESEND = 6128, "Packet failure: resp no resend";
    ERR_PACKET_FAIL_FLOW_SAVE_FILTERED = 6129, "Packet failure: flow save filtered";
    ERR_PACKET_FAIL_REQ_OVER_LOAD = 6130, "Packet failure: req over load";
    ERR_PACKET_FAIL_LOGIC_ERR = 6131, "Packet failure: logic err";
    ERR_FRIENDSHIP_PROXY_NOT_SYNCED = 6150, "Friendship proxy: not synced";
    ERR_FRIENDSHIP_PROXY_SYNCING = 6151, "Friendship proxy: syncing";
    ERR_FRIENDSHIP_PROXY_SYNCED_FAIL = 6152, "Friendship proxy: synced fail";
    ERR_FRIENDSHIP_PROXY_LOCAL_CHECK_ERR = 6153, "Friendship proxy: local check err";
    ERR_GROUP_INVALID_FIELD = 6160, "Group assistant error: invalid field";
    ERR_GROUP_STORAGE_DISABLED = 6161, "Group assistant error: storage disabled";
    ERR_LOADGRPINFO_FAILED = 6162, "Group assistant error: loading group info failed";
    ERR_REQ_NO_NET_ON_REQ = 6200, "No network on request";
    ERR_REQ_NO_NET_ON_RSP = 6201, "No network on response";
    ERR_REQ_FAILED = 6210, "Transport request failure: failed";
    ERR_REQ_INVALID_REQ = 6211, "Transport request failure: invalid req";
    ERR_REQ_OVERLOADED = 6212, "Transport request failure: overloaded";
    ERR_REQ_KICK_OFF = 6213, "Transport request failure: kick off (kicked by another device)";
    ERR_REQ_SERVICE_SUSPEND = 6214, "Transport request failure: service suspend";
    ERR_REQ_INVALID_SIGN = 6215, "Transport request failure: invalid sign";
    ERR_REQ_INVALID_COOKIE = 6216, "Transport request failure: invalid cookie";
    ERR_LOGIN_TLS_RSP_PARSE_FAILED = 6217, "Login-phase internal failure";
    ERR_LOGIN_OPENMSG_TIMEOUT = 6218, "Login-phase internal failure";
    ERR_LOGIN_OPENMSG_RSP_PARSE_FAILED = 6219, "Login-phase internal failure";
    ERR_LOGIN_TLS_DECRYPT_FAILED = 6220, "Login-phase internal failure";
    ERR_REQUEST_NO_NET_ONREQ = 6250, "Request failure: no net onreq";
    ERR_REQUEST_NO_NET_ONRSP = 6251, "Request failure: no net onrsp";
    ERR_REQUEST_FAILED = 6252, "Request failure: failed";
    ERR_REQUEST_INVALID_REQ = 6253, "Request failure: invalid req";
    ERR_REQUEST_OVERLOADED = 6254, "Request failure: overloaded";
    ERR_REQUEST_KICK_OFF = 6255, "Request failure: kick off";
    ERR_REQUEST_SERVICE_SUSPEND = 6256, "Request failure: service suspend";
    ERR_REQUEST_INVALID_SIGN = 6257, "Request failure: invalid sign";
    ERR_REQUEST_INVALID_COOKIE = 6258, "Request failure: invalid cookie";
    ERR_REQUEST_TIME_OUT = 6012, "Request timed out";
    // Relationship (30xxx/31xxx/32xxx)
    ERR_SVR_FRIENDSHIP_INVALID_PARAMETERS = 30001, "Relationship: invalid parameters";
    ERR_SVR_FRIENDSHIP_INVALID_SDKAPPID = 30002, "Relationship: invalid sdkappid";
    ERR_SVR_FRIENDSHIP_ACCOUNT_NOT_FOUND = 30003, "Relationship: account not found";
    ERR_SVR_FRIENDSHIP_ADMIN_REQUIRED = 30004, "Relationship: admin required";
    ERR_SVR_FRIENDSHIP_SENSITIVE_TEXT = 30005, "Relationship: sensitive text";
    ERR_SVR_FRIENDSHIP_INTERNAL_ERROR = 30006, "Relationship: internal error";
    ERR_SVR_FRIENDSHIP_NET_TIMEOUT = 30007, "Relationship: net timeout";
    ERR_SVR_FRIENDSHIP_WRITE_CONFLICT = 30008, "Relationship: write conflict";
    ERR_SVR_FRIENDSHIP_ADD_FRIEND_DENY = 30009, "Relationship: add friend deny";
    ERR_SVR_FRIENDSHIP_COUNT_LIMIT = 30010, "Relationship: count limit";
    ERR_SVR_FRIENDSHIP_GROUP_COUNT_LIMIT = 30011, "Relationship: group count limit";
    ERR_SVR_FRIENDSHIP_PENDENCY_LIMIT = 30012, "Relationship: pendency limit";
    ERR_SVR_FRIENDSHIP_BLACKLIST_LIMIT = 30013, "Relationship: blacklist limit";
    ERR_SVR_FRIENDSHIP_PEER_FRIEND_LIMIT = 30014, "Relationship: peer friend limit";
    ERR_SVR_FRIENDSHIP_ALREADY_FRIENDS = 30015, "Relationship: already friends";
    ERR_SVR_FRIENDSHIP_IN_SELF_BLACKLIST = 30515, "Relationship: in self blacklist";
    ERR_SVR_FRIENDSHIP_ALLOW_TYPE_DENY_ANY = 30516, "Relationship: allow type deny any";
    ERR_SVR_FRIENDSHIP_IN_PEER_BLACKLIST = 30525, "Relationship: in peer blacklist";
    ERR_SVR_FRIENDSHIP_ALLOW_TYPE_NEED_CONFIRM = 30539, "Relationship: allow type need confirm";
    ERR_SVR_FRIENDSHIP_ADD_FRIEND_SEC_RSTR = 30540, "Relationship: add friend sec rstr";
    ERR_SVR_FRIENDSHIP_PENDENCY_NOT_FOUND = 30614, "Relationship: pendency not found";
    ERR_SVR_FRIENDSHIP_DEL_NONFRIEND = 31704, "Relationship: del nonfriend";
    ERR_SVR_FRIENDSHIP_DEL_FRIEND_SEC_RSTR = 31707, "Relationship: del friend sec rstr";
    ERR_SVR_FRIENDSHIP_ACCOUNT_NOT_FOUND_EX = 31804, "Relationship: account not found ex";
    ERR_SVR_FRIENDSHIP_SELF_FOLLOWING_COUNT_EXCEEDS_LIMIT = 32100, "Relationship: self following count exceeds limit";
    ERR_SVR_FRIENDSHIP_PEER_FOLLOWERS_COUNT_EXCEEDS_LIMIT = 32101, "Relationship: peer followers count exceeds limit";
    ERR_SVR_FRIENDSHIP_SELF_MUTUAL_FOLLOWERS_COUNT_EXCEEDS_LIMIT = 32102, "Relationship: self mutual followers count exceeds limit";
    ERR_SVR_FRIENDSHIP_PEER_MUTUAL_FOLLOWERS_COUNT_EXCEEDS_LIMIT = 32103, "Relationship: peer mutual followers count exceeds limit";
}

/// The synchronous return values of every `int`-returning TIM function (`TIMResult`).
pub mod result {
    /// The call was accepted; its callback will be called exactly once.
    pub const TIM_SUCC: i32 = 0;
    /// `TIMInit` has not been called.
    pub const TIM_ERR_SDKUNINIT: i32 = -1;
    /// No user is logged in.
    pub const TIM_ERR_NOTLOGIN: i32 = -2;
    /// Malformed JSON or a bad JSON key.
    pub const TIM_ERR_JSON: i32 = -3;
    /// A bad argument.
    pub const TIM_ERR_PARAM: i32 = -4;
    /// An invalid conversation.
    pub const TIM_ERR_CONV: i32 = -5;
    /// An invalid group.
    pub const TIM_ERR_GROUP: i32 = -6;

    /// Every `TIMResult` value with its C name, in order (for the C header).
    pub const ALL: &[(&str, i32)] = &[
        ("TIM_SUCC", TIM_SUCC),
        ("TIM_ERR_SDKUNINIT", TIM_ERR_SDKUNINIT),
        ("TIM_ERR_NOTLOGIN", TIM_ERR_NOTLOGIN),
        ("TIM_ERR_JSON", TIM_ERR_JSON),
        ("TIM_ERR_PARAM", TIM_ERR_PARAM),
        ("TIM_ERR_CONV", TIM_ERR_CONV),
        ("TIM_ERR_GROUP", TIM_ERR_GROUP),
    ];
}

/// The entry for `code` (the first name, where two names share a number).
pub fn lookup(code: i32) -> Option<&'static ErrorCode> {
    ALL.iter().find(|entry| entry.code == code)
}

/// The message for `code`, or a generic one for a number outside the table (such as the
/// 120001..=130000 range that an app's own webhook may return).
pub fn message(code: i32) -> &'static str {
    match lookup(code) {
        Some(entry) => entry.message,
        None if (120_001..=130_000).contains(&code) => "Custom code returned by the app's webhook",
        None => "Unknown error code",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_finds_names_and_messages() {
        assert_eq!(lookup(6027).map(|e| e.name), Some("ERR_INVALID_JSON"));
        assert_eq!(ERR_SDK_MSG_BODY_SIZE_LIMIT, 8001);
        assert_eq!(
            message(120_005),
            "Custom code returned by the app's webhook"
        );
        assert_eq!(message(-999_999), "Unknown error code");
        assert!(
            ALL.iter()
                .any(|e| e.name == "ERR_REQUEST_TIME_OUT" && e.code == 6012)
        );
    }
}
