#!/usr/bin/env python3
"""Off-board check of an emitted PYNQ driver (board/driver.py), run by test/board/driver.int.test.ts.

Imports the driver without pynq (its packing and unpacking need numpy only) and checks, for the project's csim test
vectors (tb_vectors.bin: real test images and the integer reference's logits):
  1. pack_images(images) equals byte for byte the DMA input words the TypeScript side packs (packInputWords, written
     by the test to --ts-words) and the RTL twin's input words (rtl/vectors/input.hex, which rtlsim feeds the
     Verilog bit-exact), when given;
  2. unpack_logits of a logits buffer as the S2MM writes it (little-endian int32, NUM_LOGITS per image) gives the
     reference's logits back, and classify_logits (argmax) equals the integer reference's classes (--classes);
  3. bad input is refused: a code too wide for the input bits, a wrong image size;
  4. the board-only part (Accelerator, main) against a stand-in `pynq` module (Overlay, allocate, an AXI DMA whose
     S2MM answers each image the MM2S sent with that image's reference logits, so a wrong packing, order or chunking
     shows as a mismatch), with MAX_IMAGES_PER_TRANSFER lowered to exercise several MM2S transfers. A stand-in, not
     a board: it checks the driver's sequencing, not the hardware.
Prints one line per check and exits 1 on the first failure.
"""
import argparse
import importlib.util
import json
import os
import sys
import tempfile
import types

import numpy as np


def load_driver(path):
    if "pynq" in sys.modules:
        raise SystemExit("pynq must not be imported for this check")
    spec = importlib.util.spec_from_file_location("cosearch_driver", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if "pynq" in sys.modules:
        raise SystemExit("importing the driver imported pynq: the packing functions must not need it")
    return mod


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--ts-words", required=True, help="packInputWords bytes of the same images")
    ap.add_argument("--classes", required=True, help="JSON list: intInfer's class of every image")
    ap.add_argument("--rtl-hex", help="rtl/vectors/input.hex of the same images (optional)")
    a = ap.parse_args()
    drv = load_driver(a.driver)
    images, labels, logits = drv.read_vectors(a.vectors)
    n = images.shape[0]

    words = drv.pack_images(images)
    ts = np.fromfile(a.ts_words, dtype=np.uint8)
    if words.dtype != np.uint8 or words.size != n * drv.PIXELS * drv.WORD_BYTES:
        fail("pack_images gave %s bytes of %s, expected %d" % (words.size, words.dtype, n * drv.PIXELS * drv.WORD_BYTES))
    if ts.size != words.size or not np.array_equal(ts, words):
        k = int(np.argmax(ts != words)) if ts.size == words.size else -1
        fail("pack_images differs from the TypeScript words (%d vs %d bytes; first difference at byte %d)" % (words.size, ts.size, k))
    print("ok pack: %d images, %d words of %d byte(s), equal to packInputWords" % (n, n * drv.PIXELS, drv.WORD_BYTES))
    # the images as one N x H x W x C array pack the same
    if not np.array_equal(drv.pack_images(images.reshape(n, drv.IN_H, drv.IN_W, drv.IN_C)), words):
        fail("pack_images of an N x H x W x C array differs")
    # into a preallocated buffer (as into a pynq buffer)
    buf = np.zeros(words.size + 7, dtype=np.uint8)
    drv.pack_images(images, out=buf)
    if not np.array_equal(buf[: words.size], words) or buf[words.size:].any():
        fail("pack_images(out=buf) differs")

    if a.rtl_hex:
        lines = [l.strip() for l in open(a.rtl_hex) if l.strip()]
        per = drv.WORD_BYTES
        rtl = np.array([b for l in lines for b in int(l, 16).to_bytes(per, "little")], dtype=np.uint8)
        if rtl.size != words.size or not np.array_equal(rtl, words):
            fail("pack_images differs from the RTL twin's input.hex (%d vs %d bytes)" % (words.size, rtl.size))
        print("ok pack: equal to the RTL twin's input words (%d lines)" % len(lines))

    # the S2MM side: NUM_LOGITS little-endian int32 words per image
    out = logits.astype("<i4").tobytes()
    got = drv.unpack_logits(np.frombuffer(out, dtype=np.uint8), n)
    if got.shape != (n, drv.NUM_LOGITS) or not np.array_equal(got, logits):
        fail("unpack_logits did not give the reference's logits back")
    classes = drv.classify_logits(got)
    want = np.array(json.load(open(a.classes)))
    if classes.shape != want.shape or not np.array_equal(classes, want):
        k = int(np.argmax(classes != want)) if classes.shape == want.shape else -1
        fail("classify_logits differs from the integer reference's classes (first at image %d)" % k)
    labelled = labels != 255
    acc = float(np.mean(classes[labelled] == labels[labelled])) if labelled.any() else float("nan")
    print("ok unpack: %d images, classes equal to the integer reference's (accuracy vs labels %.3f)" % (n, acc))

    # bad input is refused with a clear message
    bad = images.copy()
    if drv.IN_BITS < 8:
        bad[0, 0] = 1 << drv.IN_BITS
        try:
            drv.pack_images(bad)
            fail("a %d-bit code %d was packed" % (drv.IN_BITS, 1 << drv.IN_BITS))
        except ValueError as e:
            if "input codes must be in" not in str(e):
                fail("unexpected message: %s" % e)
    try:
        drv.pack_images(images[:, :-1])
        fail("an image of the wrong size was packed")
    except ValueError as e:
        if "codes each" not in str(e):
            fail("unexpected message: %s" % e)
    try:
        drv.pack_images(images.astype(np.float32) + 0.5)
        fail("fractional codes were packed")
    except ValueError as e:
        if "must be integers" not in str(e):
            fail("unexpected message: %s" % e)
    if not np.array_equal(drv.pack_images(images.astype(np.float64)), words):
        fail("integral float codes pack differently")
    print("ok refuses bad input")

    fake_board(drv, a.vectors, images, words, logits)


def fake_board(drv, vectors, images, words, logits):
    """Accelerator and main() on a stand-in pynq (see the module comment)."""
    per_image = drv.IMAGE_IN_BYTES
    answers = {words[i * per_image:(i + 1) * per_image].tobytes(): logits[i] for i in range(images.shape[0])}
    log = {"sends": 0, "recvs": 0}

    class Channel:
        def __init__(self, role):
            self.role = role
            self.pending = None

        def transfer(self, buf):
            if self.role == "send":
                log["sends"] += 1
                dma.stream = bytes(np.asarray(buf).tobytes())
                dma.pos = 0
            else:
                log["recvs"] += 1
                chunk = dma.stream[dma.pos:dma.pos + per_image]
                dma.pos += per_image
                if chunk not in answers:
                    raise RuntimeError("the stand-in IP got an image it does not know (packing or order wrong)")
                np.asarray(buf)[:] = answers[chunk]

        def wait(self):
            pass

    class Buffer(np.ndarray):
        def flush(self):
            pass

        def invalidate(self):
            pass

        def freebuffer(self):
            pass

    dma = types.SimpleNamespace(sendchannel=Channel("send"), recvchannel=Channel("recv"), stream=b"", pos=0)
    pynq = types.ModuleType("pynq")
    pynq.Overlay = lambda path: types.SimpleNamespace(axi_dma_0=dma)
    pynq.allocate = lambda shape, dtype: np.zeros(shape, dtype=dtype).view(Buffer)
    sys.modules["pynq"] = pynq
    bit = os.path.join(tempfile.mkdtemp(), drv.TOP + ".bit")
    open(bit, "wb").close()
    drv.MAX_IMAGES_PER_TRANSFER = 7
    acc = drv.Accelerator(bit)
    got = acc.infer(images)
    if not np.array_equal(got, logits):
        fail("Accelerator.infer on the stand-in DMA did not return the reference's logits")
    n = images.shape[0]
    if log["recvs"] != n or log["sends"] != -(-n // 7):
        fail("expected %d S2MM and %d MM2S transfers, got %d and %d" % (n, -(-n // 7), log["recvs"], log["sends"]))
    if not np.array_equal(acc.classify(images[:3]), drv.classify_logits(logits[:3])):
        fail("Accelerator.classify differs")
    if drv.main(["--bitfile", bit, "--vectors", vectors, "--repeats", "1"]) != 0:
        fail("driver main() did not report bit-exact on the stand-in")
    print("ok stand-in pynq: %d images in %d MM2S and %d S2MM transfers, logits equal" % (n, log["sends"], log["recvs"]))


if __name__ == "__main__":
    main()
