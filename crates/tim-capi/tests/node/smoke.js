// Loads libImSDK.so through koffi (an FFI package from the npm registry) the way Tencent's
// Electron SDK loads the library: callExperimentalAPI before TIMInit, TIMInit, TIMLogin,
// TIMConvGetConvList, TIMProfileGetUserProfileList, TIMLogout, TIMUninit, then a clean exit.
// Callbacks run on the SDK thread; koffi relays them to this event loop.
//   node smoke.js <libImSDK.so> <data_dir> <sdk_app_id> <user> <sig> <peer>
'use strict';
const koffi = require('koffi');

const [libPath, dataDir, appId, user, sig, peer] = process.argv.slice(2);
const lib = koffi.load(libPath);
const CommCallback = koffi.proto(
  'void TIMCommCallback(int32_t code, const char *desc, const char *json_params, const void *user_data)');
const ConvEventCallback = koffi.proto(
  'void TIMConvEventCallback(int conv_event, const char *json_conv_array, const void *user_data)');
const api = {
  callExperimentalAPI: lib.func('int callExperimentalAPI(const char *json_param, TIMCommCallback *cb, const void *user_data)'),
  TIMInit: lib.func('int TIMInit(uint64_t sdk_app_id, const char *json_sdk_config)'),
  TIMUninit: lib.func('int TIMUninit()'),
  TIMLogin: lib.func('int TIMLogin(const char *user_id, const char *user_sig, TIMCommCallback *cb, const void *user_data)'),
  TIMLogout: lib.func('int TIMLogout(TIMCommCallback *cb, const void *user_data)'),
  TIMConvGetConvList: lib.func('int TIMConvGetConvList(TIMCommCallback *cb, const void *user_data)'),
  TIMProfileGetUserProfileList: lib.func('int TIMProfileGetUserProfileList(const char *json, TIMCommCallback *cb, const void *user_data)'),
  TIMSetConvEventCallback: lib.func('void TIMSetConvEventCallback(TIMConvEventCallback *cb, const void *user_data)'),
};

function check(cond, what) {
  if (!cond) {
    console.error('FAILED: ' + what);
    process.exit(1);
  }
}

// One call with a TIMCommCallback as a promise of {code, desc, json}; the callback is
// unregistered once it ran. The strings must never be NULL (wrappers read them unchecked).
function call(name, ...args) {
  return new Promise((resolve, reject) => {
    let registered = null;
    const timer = setTimeout(() => reject(new Error(name + ': no callback in 20 s')), 20000);
    registered = koffi.register((code, desc, json) => {
      clearTimeout(timer);
      check(typeof desc === 'string' && typeof json === 'string', name + ': NULL string in callback');
      setImmediate(() => koffi.unregister(registered));
      resolve({ code, desc, json });
    }, koffi.pointer(CommCallback));
    const rc = api[name](...args, registered, null);
    if (rc !== 0) {
      clearTimeout(timer);
      koffi.unregister(registered);
      reject(new Error(name + ' returned ' + rc));
    }
  });
}

async function main() {
  const platform = await call('callExperimentalAPI',
    JSON.stringify({ request_internal_operation: 'internal_operation_set_ui_platform', request_set_ui_platform_param: 7 }));
  check(platform.code === 0, 'set_ui_platform');
  check(JSON.parse(platform.json).response_internal_operation === 'internal_operation_set_ui_platform', 'echo');
  check(api.TIMInit(BigInt(appId), JSON.stringify({ sdk_config_config_file_path: dataDir })) === 0, 'TIMInit');
  const events = [];
  let synced;
  const finished = new Promise((resolve) => { synced = resolve; });
  const onConv = koffi.register((kind, json) => {
    check(typeof json === 'string', 'conv event with a NULL string');
    events.push(kind);
    if (kind === 4) synced();
  }, koffi.pointer(ConvEventCallback));
  api.TIMSetConvEventCallback(onConv, null);

  const login = await call('TIMLogin', user, sig);
  check(login.code === 0, 'login: ' + login.desc);
  // As Electron apps do: the list is read once the conversation sync finished.
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('no sync finish in 20 s')), 20000);
  });
  await Promise.race([finished, timeout]);
  clearTimeout(timer);
  const list = await call('TIMConvGetConvList');
  check(list.code === 0, 'conv list: ' + list.desc);
  const convs = JSON.parse(list.json);
  const withPeer = convs.find((c) => c.conv_id === peer);
  check(withPeer !== undefined, 'the conversation with ' + peer + ' is listed: ' + list.json);
  check(withPeer.conv_type === 1 && withPeer.conv_unread_num >= 1, 'it has unread messages');
  check(Number.isSafeInteger(withPeer.conv_active_time), 'active time is a safe integer');
  const profiles = await call('TIMProfileGetUserProfileList',
    JSON.stringify({ friendship_getprofilelist_param_identifier_array: [peer, user] }));
  check(profiles.code === 0, 'profiles: ' + profiles.desc);
  const read = JSON.parse(profiles.json);
  check(read.length === 2 && read[0].user_profile_identifier === peer, 'profile order');
  check(read[0].user_profile_nick_name === 'Peer', 'the peer\'s nickname');

  const logout = await call('TIMLogout');
  check(logout.code === 0, 'logout');
  api.TIMSetConvEventCallback(null, null);
  check(api.TIMUninit() === 0, 'TIMUninit');
  koffi.unregister(onConv);
  check(events.includes(3) && events.includes(4), 'sync start and finish events: ' + events);
  console.log('OK node ' + convs.length);
}

main().catch((err) => {
  console.error('FAILED: ' + err.message);
  process.exit(1);
});
