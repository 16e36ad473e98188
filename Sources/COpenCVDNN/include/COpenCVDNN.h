#ifndef FACET_COPENCVDNN_H
#define FACET_COPENCVDNN_H
/* A C interface to one ONNX image model run by OpenCV's dnn module (Debian's libopencv-dnn-dev).
   The model takes 1x3x224x224 ImageNet-normalised RGB and gives a pooled feature and class logits. */
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct facet_dnn facet_dnn;

enum { FACET_DNN_SIDE = 224, FACET_DNN_FEATURE = 1280, FACET_DNN_CLASSES = 1000 };

/* Loads the ONNX file into `instances` independent networks (forward passes on one network are
   serialised; distinct ones run in parallel). NULL on failure, with a message in `error`. */
facet_dnn *facet_dnn_open(const char *path, int instances, char *error, size_t error_len);

/* Squashes the whole RGBA image (8-bit, rows top to bottom, no padding; alpha composited over
   white) to 224x224 with a triangle (antialiased bilinear) filter, normalises it and runs the network. `feature` receives
   FACET_DNN_FEATURE floats; `logits` FACET_DNN_CLASSES floats unless NULL. 0 on success. */
int facet_dnn_run(facet_dnn *dnn, const uint8_t *rgba, int width, int height,
                  float *feature, float *logits, char *error, size_t error_len);

void facet_dnn_close(facet_dnn *dnn);

/* Eigenvalues (descending) and eigenvectors (one per row of `vectors`, n x n, row-major) of the
   symmetric n x n `matrix`. 0 on success. */
int facet_symmetric_eigen(const double *matrix, int n, double *values, double *vectors);

#ifdef __cplusplus
}
#endif
#endif
