#ifndef FACET_CIMAGECODECS_SHIM_H
#define FACET_CIMAGECODECS_SHIM_H
/* The image codec libraries Facet decodes uploads with (Debian: libturbojpeg0-dev, libpng-dev,
 * libwebp-dev, libheif-dev, libgif-dev). libpng and giflib report errors through longjmp or
 * multi-step state that Swift cannot drive safely, so small C helpers wrap them here. Every
 * helper works on an in-memory buffer and writes 8-bit RGBA. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <turbojpeg.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <libheif/heif.h>
#include <gif_lib.h>

/* ---------- PNG ---------- */

struct facet_png_reader { const uint8_t *data; size_t length; size_t offset; };

static void facet_png_read(png_structp png, png_bytep out, png_size_t n) {
    struct facet_png_reader *r = (struct facet_png_reader *)png_get_io_ptr(png);
    if (r->length - r->offset < n) png_error(png, "truncated");
    memcpy(out, r->data + r->offset, n);
    r->offset += n;
}

static void facet_png_silent(png_structp png, png_const_charp msg) { (void)png; (void)msg; }
/* Errors jump back to the caller's setjmp without printing. */
static void facet_png_error(png_structp png, png_const_charp msg) { (void)msg; png_longjmp(png, 1); }

/* Decodes a PNG into RGBA8. `out` must hold width*height*4 bytes for the width and height
 * given (taken from IHDR by the caller, who checked them against its pixel cap first).
 * Returns 0 on success, -1 when the stream is corrupt or truncated, -2 on size mismatch. */
static inline int facet_png_decode_rgba(const uint8_t *data, size_t length, uint8_t *out,
                                        uint32_t width, uint32_t height) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, facet_png_error, facet_png_silent);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); return -1; }
    png_bytep *rows = NULL;
    struct facet_png_reader reader = { data, length, 0 };
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &reader, facet_png_read);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);
    if (png_get_image_width(png, info) != width || png_get_image_height(png, info) != height) {
        png_destroy_read_struct(&png, &info, NULL);
        return -2;
    }
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (depth == 16) png_set_strip_16(png);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (!(color & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_filler(png, 0xff, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)width * 4) {
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    rows = (png_bytep *)malloc(sizeof(png_bytep) * height);
    if (!rows) { png_destroy_read_struct(&png, &info, NULL); return -1; }
    for (uint32_t y = 0; y < height; y++) rows[y] = out + (size_t)y * width * 4;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

/* Decodes a non-interlaced PNG row by row, averaging each `factor` x `factor` block into one
 * output pixel as rows arrive, so memory is one source row plus one output row of sums
 * (proportional to the width) besides `out`, which must hold out_w*out_h*4 bytes with
 * out_w = width / factor and out_h = height / factor (edge pixels join the last block).
 * Returns 0, -1 (corrupt), -2 (size mismatch) or -3 (interlaced: the caller decodes whole). */
struct facet_png_rows { png_bytep row; uint32_t *sums; };

static inline int facet_png_decode_rgba_reduced(const uint8_t *data, size_t length, uint8_t *out,
                                                uint32_t width, uint32_t height, uint32_t factor) {
    if (factor < 1 || width / factor < 1 || height / factor < 1) return -2;
    uint32_t out_w = width / factor, out_h = height / factor;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, facet_png_error, facet_png_silent);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    if (!info) { png_destroy_read_struct(&png, NULL, NULL); return -1; }
    struct facet_png_rows *buffers = (struct facet_png_rows *)calloc(1, sizeof(struct facet_png_rows));
    if (!buffers) { png_destroy_read_struct(&png, &info, NULL); return -1; }
    struct facet_png_reader reader = { data, length, 0 };
    if (setjmp(png_jmpbuf(png))) {
        free(buffers->row); free(buffers->sums); free(buffers);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_set_read_fn(png, &reader, facet_png_read);
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
    png_read_info(png, info);
    if (png_get_image_width(png, info) != width || png_get_image_height(png, info) != height) {
        free(buffers); png_destroy_read_struct(&png, &info, NULL);
        return -2;
    }
    if (png_get_interlace_type(png, info) != PNG_INTERLACE_NONE) {
        free(buffers); png_destroy_read_struct(&png, &info, NULL);
        return -3;
    }
    int color = png_get_color_type(png, info);
    int depth = png_get_bit_depth(png, info);
    if (depth == 16) png_set_strip_16(png);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    if (!(color & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS))
        png_set_filler(png, 0xff, PNG_FILLER_AFTER);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)width * 4) {
        free(buffers); png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    buffers->row = (png_bytep)malloc((size_t)width * 4);
    buffers->sums = (uint32_t *)calloc((size_t)out_w * 4, sizeof(uint32_t));
    if (!buffers->row || !buffers->sums) png_error(png, "out of memory");
    uint32_t rows_in_block = 0;
    for (uint32_t y = 0; y < height; y++) {
        png_read_row(png, buffers->row, NULL);
        for (uint32_t x = 0; x < width; x++) {
            uint32_t ox = x / factor; if (ox >= out_w) ox = out_w - 1;
            uint32_t *sum = buffers->sums + (size_t)ox * 4;
            const png_byte *px = buffers->row + (size_t)x * 4;
            sum[0] += px[0]; sum[1] += px[1]; sum[2] += px[2]; sum[3] += px[3];
        }
        rows_in_block++;
        uint32_t oy = y / factor; if (oy >= out_h) oy = out_h - 1;
        int last_of_block = (y + 1 == height) || ((y + 1) / factor != y / factor && (y + 1) / factor < out_h);
        if (last_of_block) {
            uint8_t *dst = out + (size_t)oy * out_w * 4;
            for (uint32_t ox = 0; ox < out_w; ox++) {
                uint32_t cols = (ox + 1 == out_w) ? width - ox * factor : factor;
                uint32_t n = cols * rows_in_block;
                for (int c = 0; c < 4; c++) {
                    dst[(size_t)ox * 4 + c] = (uint8_t)((buffers->sums[(size_t)ox * 4 + c] + n / 2) / n);
                    buffers->sums[(size_t)ox * 4 + c] = 0;
                }
            }
            rows_in_block = 0;
        }
    }
    png_read_end(png, NULL);
    free(buffers->row); free(buffers->sums); free(buffers);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

/* Gives freed heap memory back to the system (glibc keeps it in its arenas otherwise). */
#include <malloc.h>
static inline void facet_release_free_memory(void) { malloc_trim(0); }

struct facet_png_writer { uint8_t *data; size_t length; size_t capacity; int failed; };

static void facet_png_write(png_structp png, png_bytep in, png_size_t n) {
    struct facet_png_writer *w = (struct facet_png_writer *)png_get_io_ptr(png);
    if (w->failed) return;
    if (w->length + n > w->capacity) {
        size_t cap = w->capacity ? w->capacity * 2 : 65536;
        while (cap < w->length + n) cap *= 2;
        uint8_t *grown = (uint8_t *)realloc(w->data, cap);
        if (!grown) { w->failed = 1; return; }
        w->data = grown; w->capacity = cap;
    }
    memcpy(w->data + w->length, in, n);
    w->length += n;
}
static void facet_png_flush(png_structp png) { (void)png; }

/* Encodes RGBA8 (channels 4) or RGB8 (channels 3) as PNG, optionally Adam7-interlaced.
 * On success *out is malloc'd (free with free()) and 0 is returned. */
static inline int facet_png_encode(const uint8_t *pixels, uint32_t width, uint32_t height,
                                   int channels, int interlaced, uint8_t **out, size_t *out_length) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, facet_png_error, facet_png_silent);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    struct facet_png_writer writer = { NULL, 0, 0, 0 };
    if (!info || setjmp(png_jmpbuf(png))) {
        free(writer.data);
        png_destroy_write_struct(&png, info ? &info : NULL);
        return -1;
    }
    png_set_write_fn(png, &writer, facet_png_write, facet_png_flush);
    png_set_IHDR(png, info, width, height, 8,
                 channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    int passes = png_set_interlace_handling(png);
    for (int p = 0; p < passes; p++)
        for (uint32_t y = 0; y < height; y++)
            png_write_row(png, (png_const_bytep)(pixels + (size_t)y * width * channels));
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    if (writer.failed) { free(writer.data); return -1; }
    *out = writer.data; *out_length = writer.length;
    return 0;
}

/* ---------- GIF (first frame only) ---------- */

struct facet_gif_reader { const uint8_t *data; size_t length; size_t offset; };

static int facet_gif_read(GifFileType *gif, GifByteType *out, int n) {
    struct facet_gif_reader *r = (struct facet_gif_reader *)gif->UserData;
    size_t left = r->length - r->offset;
    size_t k = (size_t)n < left ? (size_t)n : left;
    memcpy(out, r->data + r->offset, k);
    r->offset += k;
    return (int)k;
}

/* Decodes the first frame of a GIF onto its logical screen as RGBA8. `out` must hold
 * width*height*4 bytes where width/height are the logical screen size from the header
 * (checked by the caller). Returns 0 on success, -1 when corrupt/truncated, -2 on size
 * mismatch, -3 when there is no image at all. */
static inline int facet_gif_decode_first_rgba(const uint8_t *data, size_t length, uint8_t *out,
                                              uint32_t width, uint32_t height) {
    struct facet_gif_reader reader = { data, length, 0 };
    int err = 0;
    GifFileType *gif = DGifOpen(&reader, facet_gif_read, &err);
    if (!gif) return -1;
    if ((uint32_t)gif->SWidth != width || (uint32_t)gif->SHeight != height) {
        DGifCloseFile(gif, &err);
        return -2;
    }
    int transparent = -1;
    int result = -3;
    GifRecordType type;
    memset(out, 0, (size_t)width * height * 4);
    for (;;) {
        if (DGifGetRecordType(gif, &type) == GIF_ERROR) { result = -1; break; }
        if (type == TERMINATE_RECORD_TYPE) break;
        if (type == EXTENSION_RECORD_TYPE) {
            int code; GifByteType *ext = NULL;
            if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR) { result = -1; break; }
            if (code == GRAPHICS_EXT_FUNC_CODE && ext && ext[0] >= 4 && (ext[1] & 1)) transparent = ext[4];
            while (ext) { if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR) { result = -1; ext = NULL; break; } }
            if (result == -1) break;
            continue;
        }
        if (type != IMAGE_DESC_RECORD_TYPE) continue;
        if (DGifGetImageDesc(gif) == GIF_ERROR) { result = -1; break; }
        GifImageDesc *d = &gif->Image;
        ColorMapObject *map = d->ColorMap ? d->ColorMap : gif->SColorMap;
        if (!map || d->Width <= 0 || d->Height <= 0 || d->Width > 65535 || d->Height > 65535) { result = -1; break; }
        GifPixelType *line = (GifPixelType *)malloc((size_t)d->Width);
        if (!line) { result = -1; break; }
        static const int offsets[4] = {0, 4, 2, 1}, steps[4] = {8, 8, 4, 2};
        int passes = d->Interlace ? 4 : 1;
        result = 0;
        for (int p = 0; p < passes && result == 0; p++) {
            int start = d->Interlace ? offsets[p] : 0, step = d->Interlace ? steps[p] : 1;
            for (int y = start; y < d->Height; y += step) {
                if (DGifGetLine(gif, line, d->Width) == GIF_ERROR) { result = -1; break; }
                int oy = d->Top + y;
                if (oy < 0 || (uint32_t)oy >= height) continue;
                for (int x = 0; x < d->Width; x++) {
                    int ox = d->Left + x;
                    if (ox < 0 || (uint32_t)ox >= width) continue;
                    int idx = line[x];
                    uint8_t *px = out + ((size_t)oy * width + ox) * 4;
                    if (idx == transparent || idx >= map->ColorCount) { px[3] = 0; continue; }
                    px[0] = map->Colors[idx].Red; px[1] = map->Colors[idx].Green;
                    px[2] = map->Colors[idx].Blue; px[3] = 255;
                }
            }
        }
        free(line);
        break;
    }
    DGifCloseFile(gif, &err);
    return result;
}

struct facet_gif_writer { uint8_t *data; size_t length; size_t capacity; };

static int facet_gif_write(GifFileType *gif, const GifByteType *in, int n) {
    struct facet_gif_writer *w = (struct facet_gif_writer *)gif->UserData;
    if (w->length + (size_t)n > w->capacity) {
        size_t cap = w->capacity ? w->capacity * 2 : 65536;
        while (cap < w->length + (size_t)n) cap *= 2;
        uint8_t *grown = (uint8_t *)realloc(w->data, cap);
        if (!grown) return 0;
        w->data = grown; w->capacity = cap;
    }
    memcpy(w->data + w->length, in, (size_t)n);
    w->length += (size_t)n;
    return n;
}

/* Encodes an RGB8 image as a single-frame GIF with a 6x6x6 colour cube palette. */
static inline int facet_gif_encode_rgb(const uint8_t *rgb, uint32_t width, uint32_t height,
                                       uint8_t **out, size_t *out_length) {
    struct facet_gif_writer writer = { NULL, 0, 0 };
    int err = 0;
    GifFileType *gif = EGifOpen(&writer, facet_gif_write, &err);
    if (!gif) return -1;
    GifColorType colors[256];
    memset(colors, 0, sizeof colors);
    for (int i = 0; i < 216; i++) {
        colors[i].Red = (GifByteType)((i / 36) * 51);
        colors[i].Green = (GifByteType)(((i / 6) % 6) * 51);
        colors[i].Blue = (GifByteType)((i % 6) * 51);
    }
    ColorMapObject *map = GifMakeMapObject(256, colors);
    int ok = map && EGifPutScreenDesc(gif, (int)width, (int)height, 8, 0, map) != GIF_ERROR
             && EGifPutImageDesc(gif, 0, 0, (int)width, (int)height, false, NULL) != GIF_ERROR;
    GifPixelType *line = (GifPixelType *)malloc(width ? width : 1);
    for (uint32_t y = 0; ok && line && y < height; y++) {
        for (uint32_t x = 0; x < width; x++) {
            const uint8_t *p = rgb + ((size_t)y * width + x) * 3;
            line[x] = (GifPixelType)(((p[0] + 25) / 51) * 36 + ((p[1] + 25) / 51) * 6 + (p[2] + 25) / 51);
        }
        ok = EGifPutLine(gif, line, (int)width) != GIF_ERROR;
    }
    free(line);
    if (map) GifFreeMapObject(map);
    if (EGifCloseFile(gif, &err) == GIF_ERROR) ok = 0;
    if (!ok) { free(writer.data); return -1; }
    *out = writer.data; *out_length = writer.length;
    return 0;
}
#endif
