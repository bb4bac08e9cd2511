"""PyTorch's CPU random generator (at::CPUGeneratorImpl) and the CPU sampling kernels, in numpy.

The stream is at::mt19937 — the reference Mersenne Twister, seeded with init_genrand(seed & 0xffffffff)
— so numpy's MT19937 bit generator produces the same 32-bit words once its key and position are set;
`random()` and `random64()` are PyTorch's (random64 = first word << 32 | second word). The transforms
are PyTorch 2.13's CPU kernels (aten/src/ATen/core/DistributionsHelper.h,
native/cpu/DistributionTemplates.h, native/cpu/avx_mathfun.h): the same words, the same arithmetic in
the same precision, in the same order, so every value equals torch's bit for bit.

Imports only numpy and the standard library: it sits below the ops.
"""

import math
import os
import threading

import numpy as np

DEFAULT_SEED = 67280421310721  # c10::detail::default_rng_seed_val
_N = 624  # MERSENNE_STATE_N
_STATE_BYTES = 5056  # sizeof(at::detail::CPUGeneratorImplState)
_U64 = (1 << 64) - 1


def _init_genrand(seed32):
    key = np.empty(_N, dtype=np.uint32)
    x = seed32
    key[0] = x
    for j in range(1, _N):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    return key


class Generator:
    """torch.Generator on the CPU: the mt19937 engine plus the cached second Box-Muller sample.

    Its public names are exactly PyTorch's (a program can call them); the ops layer adds
    get_state/set_state, which speak in tensors. The sampling kernels are the functions below."""

    def __init__(self, device="cpu"):
        if str(device) != "cpu":
            raise RuntimeError(
                f"gradtrace runs on the CPU only: torch.Generator(device={device!r}) is not supported"
            )
        self._bits = np.random.MT19937()
        self._set_seed(DEFAULT_SEED)

    @property
    def device(self):
        return "cpu"

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    def manual_seed(self, seed):
        self._set_seed(_unpack_seed(seed))
        return self

    def initial_seed(self):
        return self._seed

    def seed(self):
        """A non-deterministic seed (PyTorch reads /dev/urandom), set and returned."""
        seed = int.from_bytes(os.urandom(8), "little")
        self._set_seed(seed)
        return seed

    # -- CPUGeneratorImpl::set_current_seed / get_state / set_state ----------------------------

    def _set_seed(self, seed):
        self._seed = seed
        self._next = 0  # mt19937's next_ as get_state reports it before the first draw
        self._fresh = True
        self._bits.state = {
            "bit_generator": "MT19937",
            "state": {"key": _init_genrand(seed & 0xFFFFFFFF), "pos": _N},
        }
        self._next_double_normal = None
        self._next_float_normal = None

    def _state_bytes(self):
        """The bytes of at::detail::CPUGeneratorImplState, as torch.get_rng_state() holds them."""
        state = self._bits.state["state"]
        pos = int(state["pos"])
        out = bytearray(_STATE_BYTES)
        out[0:8] = self._seed.to_bytes(8, "little")
        out[8:12] = (_N + 1 - pos).to_bytes(4, "little")  # left_
        out[12:16] = (1).to_bytes(4, "little")  # seeded_
        out[16:24] = (self._next if self._fresh else pos).to_bytes(8, "little")
        out[24 : 24 + 8 * _N] = np.asarray(state["key"], dtype=np.uint64).tobytes()
        if self._next_double_normal is not None:
            out[5024:5032] = np.float64(self._next_double_normal).tobytes()
            out[5040:5044] = (1).to_bytes(4, "little")
        if self._next_float_normal is not None:
            out[5048:5052] = np.float32(self._next_float_normal).tobytes()
            out[5052] = 1
        return bytes(out)

    def _load_state_bytes(self, raw):
        if len(raw) != _STATE_BYTES:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input "
                f"RNG state size to be {len(raw)}"
            )
        left = int.from_bytes(raw[8:12], "little", signed=True)
        seeded = int.from_bytes(raw[12:16], "little") != 0
        nxt = int.from_bytes(raw[16:24], "little") & 0xFFFFFFFF
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(raw[24 : 24 + 8 * _N], dtype=np.uint64).astype(np.uint32)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _N + 1 - left}}
        self._seed = int.from_bytes(raw[0:8], "little")
        self._next, self._fresh = nxt, True
        valid_double = int.from_bytes(raw[5040:5044], "little") != 0
        self._next_double_normal = (
            float(np.frombuffer(raw[5024:5032], np.float64)[0]) if valid_double else None
        )
        self._next_float_normal = (
            float(np.frombuffer(raw[5048:5052], np.float32)[0]) if raw[5052] else None
        )


# -- the engine's words ----------------------------------------------------------------------


def random(gen, n):
    """n calls of CPUGeneratorImpl::random(): uint32 words (held in uint64)."""
    gen._fresh = False
    return gen._bits.random_raw(n) if n else np.empty(0, np.uint64)


def random64(gen, n):
    """n calls of CPUGeneratorImpl::random64(): the first word is the high half."""
    words = random(gen, 2 * n)
    return (words[0::2] << np.uint64(32)) | words[1::2]


# -- distributions (DistributionsHelper.h + the CPU kernels) -----------------------------------


def uniform(gen, n, np_dtype, low=0.0, high=1.0):
    """uniform_kernel: uniform_real_distribution<scalar_t>(from, to), element by element."""
    if np_dtype == np.float64:
        x = (random64(gen, n) & np.uint64((1 << 53) - 1)).astype(np.float64) * 2.0**-53
        low, high = np.float64(low), np.float64(high)
        return _fma(x, high - low, low, np.float64)
    if (
        np_dtype == np.float16
    ):  # drawn as float, rounded to Half; a value rounded up to `to` becomes `from`
        values = uniform(gen, n, np.dtype(np.float32), low, high).astype(np.float16)
        return np.where(values == np.float16(high), np.float16(low), values)
    x = (random(gen, n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2.0**-24)
    low, high = np.float32(low), np.float32(high)
    return _fma(x, high - low, low, np.float32)


def normal(gen, n, np_dtype, mean=0.0, std=1.0, contiguous=True):
    """normal_kernel: the 16-at-a-time fill for 16+ contiguous elements, else Box-Muller per element."""
    if n < 16 or not contiguous:
        return narrow(normal_double(gen, n, mean, std), np_dtype)
    if np_dtype == np.float64:
        return _normal_fill(
            gen, n, np.float64, n, _normal_16_libm, np.float64(mean), np.float64(std)
        )
    # float: the AVX2 fill. Half goes through it too, in float, drawing uniforms for whole
    # blocks only before the 16 fresh ones of the tail (float draws one per element first).
    drawn = n if np_dtype == np.float32 else n - n % 16
    data = _normal_fill(
        gen, n, np.float32, drawn, _normal_16_avx2, np.float32(mean), np.float32(std)
    )
    return data.astype(np_dtype)


def narrow(doubles, np_dtype):
    """static_cast<scalar_t>(double): c10::Half is made from a float, so a double reaches it through one."""
    if np_dtype == np.float16:
        return doubles.astype(np.float32).astype(np.float16)
    return doubles.astype(np_dtype)


def _normal_fill(gen, n, np_dtype, drawn, transform, mean, std):
    """normal_fill: uniforms, Box-Muller on each block of 16 (8 cos, 8 sin), the tail redone."""
    data = np.empty(n, dtype=np_dtype)
    data[:drawn] = uniform(gen, drawn, np.dtype(np_dtype))
    blocks = data[: n - n % 16].reshape(-1, 2, 8)
    for start in range(0, len(blocks), _CHUNK):  # a chunk's arrays stay in cache through the passes
        chunk = blocks[start : start + _CHUNK]
        chunk[...] = transform(chunk[:, 0], chunk[:, 1], mean, std)
    if n % 16:  # PyTorch recomputes the last 16 values from 16 fresh uniforms
        tail = uniform(gen, 16, np.dtype(np_dtype)).reshape(1, 2, 8)
        data[n - 16 :] = transform(tail[:, 0], tail[:, 1], mean, std).reshape(-1)
    return data


def normal_double(gen, n, mean=0.0, std=1.0):
    """n draws of normal_distribution<double>(mean, std): pairs of samples, the second cached."""
    out = np.empty(n, dtype=np.float64)
    start = 0
    if n and gen._next_double_normal is not None:
        out[0] = gen._next_double_normal
        gen._next_double_normal = None
        start = 1
    pairs = (n - start + 1) // 2
    if pairs:
        words = random64(gen, 2 * pairs).reshape(pairs, 2) & np.uint64((1 << 53) - 1)
        u = words.astype(np.float64) * 2.0**-53
        r = [math.sqrt(-2.0 * math.log1p(-u2)) for u2 in u[:, 1].tolist()]
        theta = 2.0 * math.pi * u[:, 0]
        cos = np.array([c * math.cos(t) for c, t in zip(r, theta.tolist())])
        sin = np.array([c * math.sin(t) for c, t in zip(r, theta.tolist())])
        both = np.stack([cos, sin], axis=1).reshape(-1)
        out[start:] = both[: n - start]
        if (n - start) % 2:
            gen._next_double_normal = float(sin[-1])
    return _fma(out, np.float64(std), np.float64(mean), np.float64)


def random_from_to(gen, n, low, span, np_dtype):
    """random_from_to_kernel: (word % span) + low; 64-bit words for spans of 2**32 and more."""
    wide = span >= 1 << 32 and np_dtype in (np.int64, np.float64, np.float32)
    words = random64(gen, n) if wide else random(gen, n)
    values = (words % np.uint64(span)).astype(np.int64) + np.int64(low)
    return values.astype(np_dtype)


def random_full(gen, n, np_dtype):
    """random_kernel (random_() without bounds): [0, max] for integers, [0, 2**digits] for floats."""
    if np_dtype == np.bool_:
        return (random(gen, n) & np.uint64(1)).astype(np.bool_)
    if np_dtype in (np.int64, np.float64):
        top = (1 << 63) if np_dtype == np.int64 else (1 << 53) + 1
        return (random64(gen, n) % np.uint64(top)).astype(np_dtype)
    if np_dtype == np.float32:
        top = (1 << 24) + 1
    elif np_dtype == np.float16:
        top = (1 << 11) + 1
    else:
        top = int(np.iinfo(np_dtype).max) + 1
    return (random(gen, n) % np.uint64(top)).astype(np_dtype)


def bernoulli_scalar(gen, n, p):
    """bernoulli_scalar_kernel_default: uniform double < p, element by element.

    Older MKL builds drew bernoulli_(p) and exponential_ from an MKL stream; PyTorch turned that off
    in its public builds (pytorch#146174), and torch 2.13 with MKL gives these numbers (checked on an
    AMD CPU; an Intel one was not available to check)."""
    return uniform(gen, n, np.dtype(np.float64)) < p


def bernoulli_tensor(gen, p):
    """bernoulli_kernel(self, p_tensor): a float (or double for double p) uniform per element."""
    if p.dtype == np.float64:
        return uniform(gen, p.size, np.dtype(np.float64)).reshape(p.shape) < p
    return uniform(gen, p.size, np.dtype(np.float32)).reshape(p.shape) < p.astype(np.float32)


def exponential(gen, n, lambd):
    """exponential_distribution<double>: -1/lambda * log1p(-u) (transformation::exponential)."""
    u = uniform(gen, n, np.dtype(np.float64))
    return np.array([-1.0 / lambd * math.log1p(-x) for x in u.tolist()], dtype=np.float64)


def randperm(gen, n):
    """randperm_cpu for n < 2**32 / 20: a Fisher-Yates pass with random() % (n - i)."""
    if n >= (1 << 32) // 20:
        raise RuntimeError(f"gradtrace does not support randperm of {n} elements")
    perm = list(range(n))
    if n > 1:
        picks = (random(gen, n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        for i, z in enumerate(picks):
            j = i + z
            perm[i], perm[j] = perm[j], perm[i]
    return np.array(perm, dtype=np.int64)


def _unpack_seed(seed):
    """THPGenerator_manualSeed: an int in [-2**63, 2**64); a negative one is read as its uint64 bits."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise RuntimeError(f"manual_seed expected a long, but got {type(seed).__name__}")
    seed = int(seed)
    if seed >= 1 << 64 or seed < -(1 << 63):
        raise ValueError("Overflow when unpacking long long")
    return seed & _U64


def _fma(a, b, c, np_dtype):
    """a * b + c rounded once, as the compiled kernels compute it (GCC contracts to an FMA)."""
    if np_dtype == np.float32:
        return _madd(a, b, c)
    return _fma64(np.asarray(a, np.float64), np.float64(b), np.float64(c))


def _fma64(a, b, c):
    """a * b + c in double rounded (almost always) once, from error-free transformations."""
    a, b, c = np.broadcast_arrays(
        np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64)
    )
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    product_error = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    v = s - p
    sum_error = (p - (s - v)) + (c - v)
    out = s + (product_error + sum_error)
    return np.where(np.isfinite(out), out, p + c)


def _split(x):
    t = x * 134217729.0  # 2**27 + 1: Veltkamp's split into two 26-bit halves
    high = t - (t - x)
    return high, x - high


# -- the AVX2 normal fill (normal_fill_16_AVX2 with avx_mathfun.h's log256_ps and sincos256_ps) ----

_f = np.float32
_SQRTHF = _f(0.707106781186547524)
_LOG_P = [
    _f(v)
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
]
_LOG_Q1, _LOG_Q2 = _f(-2.12194440e-4), _f(0.693359375)
_DP1, _DP2, _DP3 = _f(-0.78515625), _f(-2.4187564849853515625e-4), _f(-3.77489497744594108e-8)
_SINCOF = [_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1)]
_COSCOF = [_f(2.443315711809948e-005), _f(-1.388731625493765e-003), _f(4.166664568298827e-002)]
_FOPI = _f(1.27323954473516)
_TWO_PI = _f(2.0 * math.pi)
_CHUNK = 4096  # blocks of 16 transformed at a time (their arrays stay in cache)


def _madd(a, b, c):
    """a * b + c in float32 rounded once: the -mfma AVX2 build contracts a product feeding an add.

    The product of two floats is exact in a double, so the double sum is off by one rounding at most;
    rounding it to float is then exact unless it fell on a midpoint between two floats, where the
    sign of the error the double dropped picks the side, as a fused multiply-add would."""
    t = np.multiply(a, b, dtype=np.float64)
    t += c
    out = t.astype(np.float32)
    low_words = t.reshape(-1).view(np.uint32)[0::2] & np.uint32(
        0x1FFFFFFF
    )  # little-endian: the low half
    if (low_words == np.uint32(0x10000000)).any():
        _break_ties(
            out, t, (t.view(np.uint64) & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000), a, b, c
        )
    return out


def _break_ties(out, total, ties, a, b, c):
    """At a midpoint `total` between floats lo and hi: hi if the exact sum was above it, lo if below."""
    a, b, c = (np.broadcast_to(np.asarray(v, np.float64), total.shape)[ties] for v in (a, b, c))
    product, rounded = a * b, total[ties]
    v = rounded - product
    dropped = (product - (rounded - v)) + (c - v)  # TwoSum: the exact sum is rounded + dropped
    nearest = rounded.astype(np.float32)
    other = np.nextafter(
        nearest, np.where(nearest < rounded, np.float32(np.inf), np.float32(-np.inf))
    )
    low, high = np.minimum(nearest, other), np.maximum(nearest, other)
    out[ties] = np.where(dropped > 0, high, np.where(dropped < 0, low, nearest))


def _log256(x):
    """log256_ps for x in [2**-24, 1] (1 - a uniform): no denormals, no x <= 0 to mask."""
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(np.float32) + _f(1)
    x = ((bits & ~0x7F800000) | _f(0.5).view(np.int32)).view(np.float32)
    mask = x < _SQRTHF
    e -= mask
    x = np.where(mask, (x - _f(1)) + x, x - _f(1))
    z = x * x
    y = _madd(x, _LOG_P[0], _LOG_P[1])
    for p in _LOG_P[2:]:
        y = _madd(y, x, p)
    y *= x
    y = _madd(y, z, e * _LOG_Q1)  # the earlier of two products feeding an add is the one fused
    y -= z * _f(0.5)
    x += y
    return _madd(e, _LOG_Q2, x)


def _sincos256(x):
    """sincos256_ps for x = 2*pi*u >= 0 (so the sine takes no sign from x)."""
    j = ((x * _FOPI).astype(np.int32) + 1) & ~1
    y = j.astype(np.float32)
    x = _madd(y, _DP1, x)
    x = _madd(y, _DP2, x)
    x = _madd(y, _DP3, x)
    z = x * x
    c = _madd(z, _COSCOF[0], _COSCOF[1])
    c = _madd(c, z, _COSCOF[2])
    c *= z
    c = _madd(c, z, -(z * _f(0.5)))
    c += _f(1)
    s = _madd(z, _SINCOF[0], _SINCOF[1])
    s = _madd(s, z, _SINCOF[2])
    s *= z
    s = _madd(s, x, x)
    poly = (j & 2) == 0
    sin = np.where(poly, s, c)
    cos = np.where(poly, c, s)
    np.negative(sin, out=sin, where=(j & 4) != 0)
    np.negative(cos, out=cos, where=((j - 2) & 4) == 0)
    return sin, cos


def _normal_16_avx2(first, second, mean, std):
    u1 = _f(1) - first
    radius = np.sqrt(_f(-2) * _log256(u1))
    sin, cos = _sincos256(_TWO_PI * second)
    return np.stack([_madd(radius * cos, std, mean), _madd(radius * sin, std, mean)], axis=1)


def _normal_16_libm(first, second, mean, std):
    """normal_fill_16<double>: glibc's log, cos and sin (Python's math module calls the same libm)."""
    radius = np.sqrt(-2.0 * _libm(math.log, 1.0 - first))
    theta = (2.0 * math.pi) * second
    return np.stack(
        [
            _fma64(radius * _libm(math.cos, theta), std, mean),
            _fma64(radius * _libm(math.sin, theta), std, mean),
        ],
        axis=1,
    )


def _libm(fn, x):
    return np.array([fn(v) for v in x.reshape(-1).tolist()], dtype=np.float64).reshape(x.shape)


class _Default(threading.local):
    def __init__(self):
        self.generator = Generator()


_default = _Default()


def default_generator():
    """The thread's default CPU generator (each runner thread has its own stream)."""
    return _default.generator
