"""Python ctypes smoke test of libImSDK.so (standard library only): proof that non-C hosts work.

    python3 smoke.py <libdir> <data_dir> <user> <user_sig> <peer> <app_id>

The server comes from TIM_SERVER_ADDRESS / TIM_SERVER_CERT. Logs in as <user>, prints "READY",
waits for a text message from <peer> (sent by the driver), answers it with a message to <peer>
("PYTHON SENT <msg_id>"), logs out, uninitialises and prints "OK python". Exits 1 on any
failure or when an awaited callback does not come within WAIT seconds.
"""

import ctypes
import json
import os
import sys
import threading

WAIT = 20.0
TIM_SUCC = 0
kTIMConv_C2C = 1
kTIMLoginStatus_Logined = 1
kTIMLoginStatus_UnLogined = 3

TIMCommCallback = ctypes.CFUNCTYPE(None, ctypes.c_int32, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p)
TIMRecvNewMsgCallback = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_void_p)


def fail(what):
    print("FAIL: " + what, file=sys.stderr, flush=True)
    sys.exit(1)


def check(cond, what):
    if not cond:
        fail(what)


def load(libdir):
    lib = ctypes.CDLL(os.path.join(libdir, "libImSDK.so"))
    lib.TIMInit.argtypes = [ctypes.c_uint64, ctypes.c_char_p]
    lib.TIMInit.restype = ctypes.c_int
    lib.TIMUninit.argtypes = []
    lib.TIMUninit.restype = ctypes.c_int
    lib.TIMGetSDKVersion.argtypes = []
    lib.TIMGetSDKVersion.restype = ctypes.c_char_p
    lib.TIMLogin.argtypes = [ctypes.c_char_p, ctypes.c_char_p, TIMCommCallback, ctypes.c_void_p]
    lib.TIMLogin.restype = ctypes.c_int
    lib.TIMLogout.argtypes = [TIMCommCallback, ctypes.c_void_p]
    lib.TIMLogout.restype = ctypes.c_int
    lib.TIMGetLoginStatus.argtypes = []
    lib.TIMGetLoginStatus.restype = ctypes.c_int
    lib.TIMGetLoginUserID.argtypes = [ctypes.c_char_p]
    lib.TIMGetLoginUserID.restype = ctypes.c_int
    lib.TIMAddRecvNewMsgCallback.argtypes = [TIMRecvNewMsgCallback, ctypes.c_void_p]
    lib.TIMAddRecvNewMsgCallback.restype = None
    lib.TIMRemoveRecvNewMsgCallback.argtypes = [TIMRecvNewMsgCallback]
    lib.TIMRemoveRecvNewMsgCallback.restype = None
    lib.TIMMsgSendMessage.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p,
                                      TIMCommCallback, ctypes.c_void_p]
    lib.TIMMsgSendMessage.restype = ctypes.c_int
    return lib


class Result:
    """The one callback of a call: its code, desc and json_params, and the Event that says it came."""

    def __init__(self, what):
        self.what = what
        self.calls = 0
        self.event = threading.Event()
        self.code = None
        self.desc = None
        self.json = None

    def callback(self):
        def on_result(code, desc, json_params, user_data):
            self.calls += 1
            self.code = code
            self.desc = (desc or b"").decode("utf-8")
            self.json = (json_params or b"").decode("utf-8")
            self.user_data = user_data
            self.event.set()

        # Keep the ctypes function alive as long as this object: the library calls it later.
        self.c_callback = TIMCommCallback(on_result)
        return self.c_callback

    def wait_ok(self):
        check(self.event.wait(WAIT), "%s: no callback within %ss" % (self.what, WAIT))
        check(self.code == 0, "%s: code %s (%s)" % (self.what, self.code, self.desc))
        check(self.calls == 1, "%s: %d callbacks" % (self.what, self.calls))
        return self.json


def main():
    if len(sys.argv) != 7:
        fail("usage: smoke.py <libdir> <data_dir> <user> <user_sig> <peer> <app_id>")
    libdir, data_dir, user, user_sig, peer, app_id = sys.argv[1:]
    lib = load(libdir)
    check(len(lib.TIMGetSDKVersion()) > 0, "TIMGetSDKVersion")

    config = json.dumps({"sdk_config_config_file_path": data_dir})
    check(lib.TIMInit(int(app_id), config.encode()) == TIM_SUCC, "TIMInit")

    received = []
    errors = []  # an exception inside a ctypes callback is only printed: record, check later
    got_message = threading.Event()
    tag = ctypes.c_int(42)  # its address is the user_data and must come back untouched

    def on_new_messages(json_msg_array, user_data):
        try:
            if user_data != ctypes.addressof(tag):
                errors.append("user_data of the receive callback: %r" % user_data)
            received.extend(json.loads(json_msg_array.decode("utf-8")))
        except Exception as err:  # noqa: BLE001 - reported by the main thread
            errors.append("receive callback: %r" % err)
        got_message.set()

    c_on_new_messages = TIMRecvNewMsgCallback(on_new_messages)
    lib.TIMAddRecvNewMsgCallback(c_on_new_messages, ctypes.addressof(tag))

    login = Result("TIMLogin")
    check(lib.TIMLogin(user.encode(), user_sig.encode(), login.callback(), None) == TIM_SUCC, "TIMLogin")
    check(login.wait_ok() == "", "TIMLogin json_params")
    check(lib.TIMGetLoginStatus() == kTIMLoginStatus_Logined, "TIMGetLoginStatus after login")
    buffer = ctypes.create_string_buffer(128)
    check(lib.TIMGetLoginUserID(buffer) == TIM_SUCC, "TIMGetLoginUserID")
    check(buffer.value.decode() == user, "TIMGetLoginUserID: %r" % buffer.value)
    print("READY", flush=True)

    check(got_message.wait(WAIT), "no message from %s within %ss" % (peer, WAIT))
    check(not errors, "; ".join(errors))
    check(len(received) == 1, "received %r" % received)
    message = received[0]
    check(message["message_sender"] == peer, "sender %r" % message.get("message_sender"))
    check(message["message_conv_id"] == peer, "conversation %r" % message.get("message_conv_id"))
    check(message["message_conv_type"] == kTIMConv_C2C, "conversation type")
    elem = message["message_elem_array"][0]
    check(elem["elem_type"] == 0 and elem["text_elem_content"] == "hello from Rust 你好", "text %r" % elem)

    reply = {"message_elem_array": [{"elem_type": 0, "text_elem_content": "hello from Python 🐍"}]}
    msg_id = ctypes.create_string_buffer(128)
    send = Result("TIMMsgSendMessage")
    rc = lib.TIMMsgSendMessage(peer.encode(), kTIMConv_C2C, json.dumps(reply).encode(), msg_id, send.callback(), None)
    check(rc == TIM_SUCC, "TIMMsgSendMessage returned %d" % rc)
    check(len(msg_id.value) > 0, "the message ID buffer is filled before TIMMsgSendMessage returns")
    sent = json.loads(send.wait_ok())
    check(sent["message_msg_id"] == msg_id.value.decode(), "sent message ID")
    check(sent["message_status"] == 2, "sent message status %r" % sent.get("message_status"))
    check(sent["message_elem_array"][0]["text_elem_content"] == "hello from Python 🐍", "sent text")
    print("PYTHON SENT %s" % msg_id.value.decode(), flush=True)

    logout = Result("TIMLogout")
    check(lib.TIMLogout(logout.callback(), None) == TIM_SUCC, "TIMLogout")
    logout.wait_ok()
    check(lib.TIMGetLoginStatus() == kTIMLoginStatus_UnLogined, "TIMGetLoginStatus after logout")
    lib.TIMRemoveRecvNewMsgCallback(c_on_new_messages)
    check(not errors, "; ".join(errors))
    check(len(received) == 1, "more messages than the one sent: %r" % received)
    check(lib.TIMUninit() == TIM_SUCC, "TIMUninit")
    print("OK python", flush=True)


if __name__ == "__main__":
    main()
