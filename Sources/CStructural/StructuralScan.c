// The CSV structural index and the byte counter: one body, compiled three times (AVX2 +
// PCLMUL, SSE2, portable scalar), and a dispatcher that picks one per process.
#include "StructuralScan.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define SEQHUNT_X86 1
#endif

static _Atomic int forced_level = 0;

// ---- Classification: 64 bytes into a bitmask per byte class --------------------------------

typedef struct { uint64_t quote, comma, cr, lf; } classes;

static inline classes classify_scalar(const uint8_t *p) {
    classes c = {0, 0, 0, 0};
    for (int i = 0; i < 64; i++) {
        uint64_t bit = (uint64_t)1 << i;
        switch (p[i]) {
        case '"': c.quote |= bit; break;
        case ',': c.comma |= bit; break;
        case '\r': c.cr |= bit; break;
        case '\n': c.lf |= bit; break;
        default: break;
        }
    }
    return c;
}

static inline uint64_t prefix_xor_scalar(uint64_t x) {
    x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32;
    return x;
}

#if SEQHUNT_X86
__attribute__((target("sse2")))
static inline uint64_t mask16x4(__m128i a, __m128i b, __m128i c, __m128i d, __m128i v) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, v))
         | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, v)) << 16
         | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, v)) << 32
         | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, v)) << 48;
}

__attribute__((target("sse2")))
static inline classes classify_sse2(const uint8_t *p) {
    __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32)), d = _mm_loadu_si128((const __m128i *)(p + 48));
    classes r;
    r.quote = mask16x4(a, b, c, d, _mm_set1_epi8('"'));
    r.comma = mask16x4(a, b, c, d, _mm_set1_epi8(','));
    r.cr = mask16x4(a, b, c, d, _mm_set1_epi8('\r'));
    r.lf = mask16x4(a, b, c, d, _mm_set1_epi8('\n'));
    return r;
}

__attribute__((target("avx2")))
static inline uint64_t mask32x2(__m256i a, __m256i b, __m256i v) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, v))
         | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, v)) << 32;
}

__attribute__((target("avx2")))
static inline classes classify_avx2(const uint8_t *p) {
    __m256i a = _mm256_loadu_si256((const __m256i *)p), b = _mm256_loadu_si256((const __m256i *)(p + 32));
    classes r;
    r.quote = mask32x2(a, b, _mm256_set1_epi8('"'));
    r.comma = mask32x2(a, b, _mm256_set1_epi8(','));
    r.cr = mask32x2(a, b, _mm256_set1_epi8('\r'));
    r.lf = mask32x2(a, b, _mm256_set1_epi8('\n'));
    return r;
}

// The carry-less multiply by all ones is the prefix XOR: bit i is the parity of the quotes at or before i.
__attribute__((target("pclmul,sse2")))
static inline uint64_t prefix_xor_clmul(uint64_t x) {
    __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)x), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}
#endif

static inline int delimiter_or_quote(int byte) {
    return byte == '"' || byte == ',' || byte == '\r' || byte == '\n';
}

// ---- The index body, one copy per instruction set ------------------------------------------

#define CSV_INDEX_BODY(CLASSIFY, PREFIX_XOR)                                                          \
    seqhunt_csv_scan scan;                                                                             \
    memset(&scan, 0, sizeof scan);                                                                     \
    scan.first_bad[0] = scan.first_bad[1] = UINT64_MAX;                                                \
    scan.last_open[0] = scan.last_open[1] = UINT64_MAX;                                                \
    uint64_t carry_quoted = quoted ? ~(uint64_t)0 : 0;                                                 \
    uint64_t carry_before = previous < 0 || delimiter_or_quote(previous);                              \
    /* Whether the byte before is a closing quote, per starting state. */                             \
    uint64_t carry_close0 = previous == '"' && !quoted, carry_close1 = previous == '"' && quoted;    \
    uint32_t parity = 0;                                                                               \
    size_t written = 0, offset = 0;                                                                    \
    uint8_t padded[64];                                                                                \
    while (offset < length) {                                                                          \
        if (written + 64 > capacity) break;                                                            \
        size_t count = length - offset < 64 ? length - offset : 64;                                    \
        const uint8_t *p = bytes + offset;                                                             \
        if (count < 64) {                                                                              \
            memset(padded, 0, sizeof padded);                                                          \
            memcpy(padded, p, count);                                                                  \
            p = padded;                                                                                \
        }                                                                                              \
        classes c = CLASSIFY(p);                                                                       \
        uint64_t delimiters = c.comma | c.cr | c.lf;                                                   \
        uint64_t marks = delimiters | c.quote;                                                         \
        /* Inside quotes, for a start outside: the prefix XOR of the quotes, carried. */               \
        uint64_t inside = PREFIX_XOR(c.quote) ^ carry_quoted;                                          \
        carry_quoted = (uint64_t)((int64_t)inside >> 63);                                              \
        parity ^= (uint32_t)__builtin_popcountll(c.quote) & 1;                                         \
        /* A quote may open just after a delimiter or another quote; a closing one must be      */    \
        /* followed by one (or the end of the input).                                           */    \
        uint64_t before = (marks << 1) | carry_before;                                                 \
        carry_before = marks >> 63;                                                                    \
        int follows;                                                                                   \
        if (offset + 64 < length) follows = delimiter_or_quote(bytes[offset + 64]);                    \
        else follows = next < 0 || delimiter_or_quote(next);                                           \
        uint64_t after = (marks >> 1) | ((uint64_t)follows << (count - 1));                            \
        if (count < 64) after &= ~(~(uint64_t)0 << (count - 1) << 1);                                  \
        uint64_t bad0 = c.quote & ((inside & ~before) | (~inside & ~after));                           \
        uint64_t bad1 = c.quote & ((~inside & ~before) | (inside & ~after));                           \
        if (bad0 && scan.first_bad[0] == UINT64_MAX) {                                                 \
            int at = __builtin_ctzll(bad0);                                                            \
            scan.first_bad[0] = offset + (size_t)at;                                                   \
            scan.bad_kind[0] = (inside >> at) & 1 ? 1 : 2;                                             \
        }                                                                                              \
        if (bad1 && scan.first_bad[1] == UINT64_MAX) {                                                 \
            int at = __builtin_ctzll(bad1);                                                            \
            scan.first_bad[1] = offset + (size_t)at;                                                   \
            scan.bad_kind[1] = (inside >> at) & 1 ? 2 : 1;                                             \
        }                                                                                              \
        /* The quotes that open a field (not the second of a doubled quote), per state. */          \
        uint64_t open0 = c.quote & inside, open1 = c.quote & ~inside;                                  \
        uint64_t field0 = open0 & ~((open1 << 1) | carry_close0);                                      \
        uint64_t field1 = open1 & ~((open0 << 1) | carry_close1);                                      \
        carry_close0 = open1 >> 63;                                                                    \
        carry_close1 = open0 >> 63;                                                                    \
        if (field0) scan.last_open[0] = offset + 63 - (size_t)__builtin_clzll(field0);                 \
        if (field1) scan.last_open[1] = offset + 63 - (size_t)__builtin_clzll(field1);                 \
        scan.line_feeds += (uint64_t)__builtin_popcountll(c.lf);                                       \
        uint32_t at_base = base + (uint32_t)offset;                                                    \
        while (delimiters) {                                                                           \
            int bit = __builtin_ctzll(delimiters);                                                     \
            entries[written++] = (at_base + (uint32_t)bit) | ((uint32_t)(inside >> bit) & 1) << 31;    \
            delimiters &= delimiters - 1;                                                              \
        }                                                                                              \
        offset += count;                                                                               \
    }                                                                                                  \
    scan.scanned = offset;                                                                             \
    scan.written = written;                                                                            \
    scan.quote_parity = parity;                                                                        \
    return scan;

static seqhunt_csv_scan csv_index_scalar(const uint8_t *bytes, size_t length, int previous, int next, uint32_t quoted,
                                         uint32_t base, uint32_t *entries, size_t capacity) {
    CSV_INDEX_BODY(classify_scalar, prefix_xor_scalar)
}

#if SEQHUNT_X86
__attribute__((target("sse2,pclmul")))
static seqhunt_csv_scan csv_index_sse2(const uint8_t *bytes, size_t length, int previous, int next, uint32_t quoted,
                                       uint32_t base, uint32_t *entries, size_t capacity) {
    CSV_INDEX_BODY(classify_sse2, prefix_xor_clmul)
}

__attribute__((target("avx2,pclmul,bmi,popcnt,lzcnt")))
static seqhunt_csv_scan csv_index_avx2(const uint8_t *bytes, size_t length, int previous, int next, uint32_t quoted,
                                       uint32_t base, uint32_t *entries, size_t capacity) {
    CSV_INDEX_BODY(classify_avx2, prefix_xor_clmul)
}
#endif

// ---- Counting one byte value ---------------------------------------------------------------

static size_t count_scalar(const uint8_t *bytes, size_t length, uint8_t byte) {
    size_t total = 0;
    for (size_t i = 0; i < length; i++) total += bytes[i] == byte;
    return total;
}

#if SEQHUNT_X86
__attribute__((target("avx2,popcnt")))
static size_t count_avx2(const uint8_t *bytes, size_t length, uint8_t byte) {
    const __m256i value = _mm256_set1_epi8((char)byte);
    size_t total = 0, i = 0;
    for (; i + 32 <= length; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(bytes + i));
        total += (size_t)__builtin_popcount((uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, value)));
    }
    return total + count_scalar(bytes + i, length - i, byte);
}

__attribute__((target("sse2")))
static size_t count_sse2(const uint8_t *bytes, size_t length, uint8_t byte) {
    const __m128i value = _mm_set1_epi8((char)byte);
    size_t total = 0, i = 0;
    for (; i + 16 <= length; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        total += (size_t)__builtin_popcount((uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, value)));
    }
    return total + count_scalar(bytes + i, length - i, byte);
}
#endif

// ---- Dispatch ------------------------------------------------------------------------------

void seqhunt_scan_force_level(int level) { atomic_store(&forced_level, level); }

int seqhunt_scan_level(void) {
    int level = atomic_load(&forced_level);
#if SEQHUNT_X86
    static _Atomic int detected = 0;
    int best = atomic_load(&detected);
    if (best == 0) {
        __builtin_cpu_init();
        best = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("bmi")
                   && __builtin_cpu_supports("popcnt") ? 3
             : __builtin_cpu_supports("pclmul") ? 2 : 1;
        atomic_store(&detected, best);
    }
    if (level == 0 || level > best) return best;
    return level;
#else
    (void)level;
    return 1;
#endif
}

seqhunt_csv_scan seqhunt_csv_index(const uint8_t *bytes, size_t length, int previous, int next, uint32_t quoted,
                                   uint32_t base, uint32_t *entries, size_t capacity) {
#if SEQHUNT_X86
    switch (seqhunt_scan_level()) {
    case 3: return csv_index_avx2(bytes, length, previous, next, quoted, base, entries, capacity);
    case 2: return csv_index_sse2(bytes, length, previous, next, quoted, base, entries, capacity);
    default: break;
    }
#endif
    return csv_index_scalar(bytes, length, previous, next, quoted, base, entries, capacity);
}

size_t seqhunt_count_byte(const uint8_t *bytes, size_t length, uint8_t byte) {
#if SEQHUNT_X86
    switch (seqhunt_scan_level()) {
    case 3: return count_avx2(bytes, length, byte);
    case 2: return count_sse2(bytes, length, byte);
    default: break;
    }
#endif
    return count_scalar(bytes, length, byte);
}
