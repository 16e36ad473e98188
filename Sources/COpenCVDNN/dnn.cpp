// OpenCV dnn behind a C interface, so Swift needs no C++ interop. Resizing is done here (not with
// imgproc, which the dnn package does not pull in) with the same triangle filter as Pillow's
// BILINEAR, so features match the converter's check fixture.
#include "COpenCVDNN.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct facet_dnn {
    std::vector<cv::dnn::Net> nets;
    std::vector<bool> busy;
    std::mutex lock;
    std::condition_variable freed;
    bool hasLogits = false;
};

static void put_error(char *error, size_t len, const std::string &message) {
    if (!error || len == 0) return;
    size_t n = std::min(len - 1, message.size());
    std::memcpy(error, message.data(), n);
    error[n] = 0;
}

namespace {

// Separable resampling weights for one axis (Pillow's precompute_coeffs with a triangle filter).
struct Taps { std::vector<int> start, count; std::vector<float> weights; int width = 0; };

Taps taps(int in, int out) {
    Taps t;
    const double scale = double(in) / out;
    const double support = scale > 1 ? scale : 1.0;  // triangle support 1, widened when shrinking
    const double filterScale = scale > 1 ? scale : 1.0;
    t.width = int(std::ceil(support)) * 2 + 1;
    t.start.resize(out); t.count.resize(out); t.weights.assign(size_t(out) * t.width, 0);
    for (int o = 0; o < out; o++) {
        double centre = (o + 0.5) * scale;
        int lo = std::max(0, int(centre - support + 0.5));
        int hi = std::min(in, int(centre + support + 0.5));
        double sum = 0;
        std::vector<double> w(hi - lo);
        for (int i = lo; i < hi; i++) {
            double x = (i - centre + 0.5) / filterScale;
            double v = 1.0 - std::fabs(x);
            w[i - lo] = v > 0 ? v : 0;
            sum += w[i - lo];
        }
        t.start[o] = lo; t.count[o] = hi - lo;
        for (int i = 0; i < hi - lo && i < t.width; i++) t.weights[size_t(o) * t.width + i] = float(sum > 0 ? w[i] / sum : 0);
    }
    return t;
}

// Rounds a non-negative filter sum as std::lround does (half away from zero), without the libm
// call: one per output sample and channel was a tenth of the resize.
inline uint8_t round_byte(float s) {
    long v = long(double(s) + 0.5);
    return uint8_t(v < 0 ? 0 : v > 255 ? 255 : v);
}

// RGBA bytes (composited over white, as the converter's check does) → 1x3xSxS blob, ImageNet
// mean/std. Pillow rounds to 8 bits between and after the passes; we do the same so the check
// fixture holds to its tolerance. A source row is composited into a small buffer as it is read,
// rather than the whole photo being copied to RGB first.
cv::Mat blob(const uint8_t *rgba, int w, int h) {
    const int S = FACET_DNN_SIDE;
    Taps tx = taps(w, S), ty = taps(h, S);
    std::vector<uint8_t> mid(size_t(h) * S * 3);
    std::vector<float> row(size_t(w) * 3);
    for (int y = 0; y < h; y++) {
        const uint8_t *src = rgba + size_t(y) * w * 4;
        for (int x = 0; x < w; x++) {
            const int a = src[x * 4 + 3];
            for (int c = 0; c < 3; c++)
                row[x * 3 + c] = a == 255 ? src[x * 4 + c] : float((src[x * 4 + c] * a + 255 * (255 - a)) / 255);
        }
        for (int o = 0; o < S; o++) {
            const float *wt = &tx.weights[size_t(o) * tx.width];
            const float *in = &row[size_t(tx.start[o]) * 3];
            float s0 = 0, s1 = 0, s2 = 0;
            for (int k = 0; k < tx.count[o]; k++) {
                s0 += wt[k] * in[k * 3]; s1 += wt[k] * in[k * 3 + 1]; s2 += wt[k] * in[k * 3 + 2];
            }
            uint8_t *m = &mid[(size_t(y) * S + o) * 3];
            m[0] = round_byte(s0); m[1] = round_byte(s1); m[2] = round_byte(s2);
        }
    }
    static const float mean[3] = {0.485f, 0.456f, 0.406f}, sd[3] = {0.229f, 0.224f, 0.225f};
    int dims[4] = {1, 3, S, S};
    cv::Mat out(4, dims, CV_32F);
    float *p = out.ptr<float>();
    for (int o = 0; o < S; o++) {
        const float *wt = &ty.weights[size_t(o) * ty.width];
        for (int x = 0; x < S; x++) {
            for (int c = 0; c < 3; c++) {
                float s = 0;
                for (int k = 0; k < ty.count[o]; k++) s += wt[k] * mid[(size_t(ty.start[o] + k) * S + x) * 3 + c];
                float v = float(round_byte(s)) / 255.0f;
                p[(size_t(c) * S + o) * S + x] = (v - mean[c]) / sd[c];
            }
        }
    }
    return out;
}

}  // namespace

extern "C" facet_dnn *facet_dnn_open(const char *path, int instances, char *error, size_t error_len) {
    try {
        auto dnn = std::make_unique<facet_dnn>();
        instances = std::max(1, instances);
        // Parallelism comes from several networks on the caller's threads, not inside one pass.
        if (instances > 1) cv::setNumThreads(1);
        for (int i = 0; i < instances; i++) {
            cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
            net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
            net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
            dnn->nets.push_back(net);
        }
        auto names = dnn->nets[0].getUnconnectedOutLayersNames();
        dnn->hasLogits = names.size() > 1;
        dnn->busy.assign(dnn->nets.size(), false);
        return dnn.release();
    } catch (const std::exception &e) {
        put_error(error, error_len, e.what());
        return nullptr;
    }
}

extern "C" int facet_dnn_run(facet_dnn *dnn, const uint8_t *rgba, int width, int height,
                             float *feature, float *logits, char *error, size_t error_len) {
    if (!dnn || !rgba || width <= 0 || height <= 0 || !feature) { put_error(error, error_len, "bad arguments"); return -1; }
    size_t slot = 0;
    {
        std::unique_lock<std::mutex> guard(dnn->lock);
        dnn->freed.wait(guard, [&] { return std::find(dnn->busy.begin(), dnn->busy.end(), false) != dnn->busy.end(); });
        slot = size_t(std::find(dnn->busy.begin(), dnn->busy.end(), false) - dnn->busy.begin());
        dnn->busy[slot] = true;
    }
    int rc = 0;
    try {
        cv::Mat input = blob(rgba, width, height);
        cv::dnn::Net &net = dnn->nets[slot];
        net.setInput(input, "input");
        std::vector<cv::Mat> outs;
        std::vector<cv::String> names = {"feature"};
        if (logits && dnn->hasLogits) names.push_back("logits");
        net.forward(outs, names);
        if (outs[0].total() != FACET_DNN_FEATURE) throw std::runtime_error("feature output is not 1280 values");
        std::memcpy(feature, outs[0].ptr<float>(), sizeof(float) * FACET_DNN_FEATURE);
        if (logits) {
            if (outs.size() > 1 && outs[1].total() == FACET_DNN_CLASSES)
                std::memcpy(logits, outs[1].ptr<float>(), sizeof(float) * FACET_DNN_CLASSES);
            else
                std::fill(logits, logits + FACET_DNN_CLASSES, 0.0f);
        }
    } catch (const std::exception &e) {
        put_error(error, error_len, e.what());
        rc = -1;
    }
    {
        std::lock_guard<std::mutex> guard(dnn->lock);
        dnn->busy[slot] = false;
    }
    dnn->freed.notify_one();
    return rc;
}

extern "C" void facet_dnn_close(facet_dnn *dnn) { delete dnn; }
