// Structural scanning of CSV and line-oriented input, 64 bytes at a time.
//
// The kernels classify each 64-byte stride into bitmasks (quotes, commas, carriage returns,
// line feeds), find the quoted regions with a prefix-XOR of the quote mask (a carry-less
// multiply where the CPU has one), and write out only the structural positions. Each has
// an AVX2, an SSE2 and a portable scalar version; the best one this CPU runs is chosen once,
// at the first call. Every version writes the same output for the same input (the tests
// compare them on random input).
#ifndef SEQHUNT_STRUCTURAL_SCAN_H
#define SEQHUNT_STRUCTURAL_SCAN_H

#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__ARM_NEON)
#include <arm_neon.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Which implementation runs: 0 automatic (the best the CPU has), 1 scalar, 2 SSE2, 3 AVX2.
/// Only the tests and benchmarks set it; the results never depend on it.
void seqhunt_scan_force_level(int level);
/// The level that runs now (1 scalar, 2 SSE2, 3 AVX2).
int seqhunt_scan_level(void);

/// The bit of an index entry set when the byte lies inside quotes, counting from a start
/// outside quotes. When the stride actually starts inside quotes every such bit is inverted.
#define SEQHUNT_CSV_QUOTED_BIT 0x80000000u

/// What one call of `seqhunt_csv_index` learnt about its bytes.
typedef struct {
    /// Bytes scanned: all of them, or fewer (a multiple of 64) when `capacity` ran short.
    size_t scanned;
    /// Entries written.
    size_t written;
    /// Quotes seen, modulo 2.
    uint32_t quote_parity;
    /// Line feeds seen.
    uint64_t line_feeds;
    /// Per starting state (0: outside quotes, 1: inside), the offset (from `bytes`) of the
    /// first quote that breaks RFC 4180, or UINT64_MAX: a quote that opens in the middle of a
    /// field (kind 1), or one that closes and is followed by something other than a comma, a
    /// line end, another quote or the end of the input (kind 2).
    uint64_t first_bad[2];
    uint32_t bad_kind[2];
    /// Per starting state, the offset of the last quote that opens a quoted field (not the second
    /// quote of a doubled pair), or UINT64_MAX.
    uint64_t last_open[2];
} seqhunt_csv_scan;

/// Writes one entry per comma, carriage return and line feed of `bytes[0..<length]`:
/// `base + offset`, with `SEQHUNT_CSV_QUOTED_BIT` set when the byte is inside quotes (for a
/// start outside quotes). `previous` is the byte before `bytes` (or -1 at the start of a
/// record) and `next` the byte after them (or -1 at the end of the input, or when unknown):
/// they decide whether a quote at either end is well placed. Stops early, on a multiple of
/// 64 bytes, before writing past `capacity` entries; call again for the rest, with `previous`
/// the last byte scanned and the quote state carried (`quoted`: 1 when the scanned bytes
/// ended inside quotes for a start outside).
seqhunt_csv_scan seqhunt_csv_index(const uint8_t *bytes, size_t length, int previous, int next, uint32_t quoted,
                                   uint32_t base, uint32_t *entries, size_t capacity);

/// How many bytes of `bytes[0..<length]` equal `byte`.
size_t seqhunt_count_byte(const uint8_t *bytes, size_t length, uint8_t byte);

/// The offset of the first byte of `bytes[0..<length]` that is one of `a`, `b`, `c`, `d` or
/// below `below` (0: none), or `length`: the end of a run that a writer copies unchanged
/// (a CSV field's comma, quote and line ends; a JSON string's quote, backslash, control
/// characters and the lead byte of U+2028/U+2029). Inline, 16 bytes at a time.
static inline size_t seqhunt_plain_run(const uint8_t *bytes, size_t length, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
                                       uint8_t below) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b), vc = _mm_set1_epi8((char)c),
                  vd = _mm_set1_epi8((char)d), floor = _mm_set1_epi8((char)(below ? below - 1 : 0));
    for (; i + 16 <= length; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, vd)));
        if (below) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_max_epu8(v, floor), floor));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask) return i + (size_t)__builtin_ctz(mask);
    }
#elif defined(__ARM_NEON)
    const uint8x16_t va = vdupq_n_u8(a), vb = vdupq_n_u8(b), vc = vdupq_n_u8(c), vd = vdupq_n_u8(d), vbelow = vdupq_n_u8(below);
    for (; i + 16 <= length; i += 16) {
        uint8x16_t v = vld1q_u8(bytes + i);
        uint8x16_t hit = vorrq_u8(vorrq_u8(vceqq_u8(v, va), vceqq_u8(v, vb)), vorrq_u8(vceqq_u8(v, vc), vceqq_u8(v, vd)));
        hit = vorrq_u8(hit, vcltq_u8(v, vbelow));
        uint64_t mask = vget_lane_u64(vreinterpret_u64_u8(vshrn_n_u16(vreinterpretq_u16_u8(hit), 4)), 0);
        if (mask) return i + (size_t)(__builtin_ctzll(mask) >> 2);
    }
#endif
    for (; i < length; i++) {
        uint8_t x = bytes[i];
        if (x == a || x == b || x == c || x == d || x < below) return i;
    }
    return length;
}

/// The offset of the first byte of `bytes[0..<length]` that is a quote, a backslash or below
/// 0x20 (the end of a run of plain characters in a JSON string), or `length`.
static inline size_t seqhunt_json_string_run(const uint8_t *bytes, size_t length) {
    return seqhunt_plain_run(bytes, length, '"', '\\', '"', '"', 0x20);
}

#ifdef __cplusplus
}
#endif

#endif
