// The C++ twin of tencent_style.c: the same Tencent-style code compiled as C++ (g++ -Wall
// -Wextra -Werror), plus what only C++ callers write: Tencent's split header names, captureless
// lambdas as callbacks (as the seed samples pass them), and enumerators named through their
// enum (`TIMElemType::kTIMElem_Text`).
//   tencent_style_cpp <data_dir>
#include "TIMManager.h"
#include "TIMMessageManager.h"
#include "TIMCloudDef.h"
#include "TIMCloudCallback.h"
#include "TIMCloudComm.h"
#include "TIMErrorCode.h"

#define TENCENT_STYLE_NO_MAIN
#include "tencent_style.c"

#include <string>

int main(int argc, char** argv) {
    EXPECT(argc == 2);
    RunTencentStyleChecks(argv[1]);

    std::string dir = std::string(argv[1]) + "-cpp";
    std::string config = std::string("{\"") + kTIMSdkConfigConfigFilePath + "\":\"" + dir + "\"}";
    EXPECT(TIMInit(kSdkAppId, config.c_str()) == TIM_SUCC);
    TIMSetNetworkStatusListenerCallback([](enum TIMNetworkStatus status, int32_t code, const char* desc, const void* user_data) {
        (void)status; (void)code; (void)desc; (void)user_data;
    }, nullptr);
    TIMSetLogCallback([](TIMLogLevel level, const char* log, const void* user_data) {
        (void)level; (void)log; (void)user_data;
    }, nullptr);
    std::string json_msg = std::string("{\"") + kTIMMsgElemArray + "\":[{\"" + kTIMElemType + "\":" +
                           std::to_string(TIMElemType::kTIMElem_Text) + ",\"" + kTIMTextElemContent + "\":\"hi\"}]}";
    int ret = TIMMsgSendMessage("user2", TIMConvType::kTIMConv_C2C, json_msg.c_str(), nullptr,
        [](int32_t code, const char* desc, const char* json_param, const void* user_data) {
            (void)code; (void)desc; (void)json_param; (void)user_data;
            g_callbacks++;
        }, nullptr);
    EXPECT(ret == TIM_ERR_NOTLOGIN);
    TIMLoginStatus status = TIMGetLoginStatus();
    EXPECT(status == TIMLoginStatus::kTIMLoginStatus_UnLogined);
    EXPECT(TIMUninit() == TIM_SUCC);
    EXPECT(g_callbacks == 0);
    printf("OK c++\n");
    return 0;
}
