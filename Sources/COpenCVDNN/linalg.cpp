// Symmetric eigendecomposition through OpenCV's core, for fitting the learned embedder's
// projection (docs/model.md): Swift on Linux has no LAPACK binding, and OpenCV is linked already.
#include "COpenCVDNN.h"

#include <opencv2/core.hpp>

extern "C" int facet_symmetric_eigen(const double *matrix, int n, double *values, double *vectors) {
    if (!matrix || !values || !vectors || n <= 0) return -1;
    try {
        cv::Mat a(n, n, CV_64F, const_cast<double *>(matrix));
        cv::Mat w, v;
        if (!cv::eigen(a, w, v)) return -1;
        for (int i = 0; i < n; i++) values[i] = w.at<double>(i);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) vectors[(size_t)i * n + j] = v.at<double>(i, j);
        return 0;
    } catch (...) {
        return -1;
    }
}
