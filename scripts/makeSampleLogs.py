"""Writes the sample TensorBoard event files of the emulator and the sample workspace, without TensorFlow.

Usage: python scripts/makeSampleLogs.py OUT_DIR   (writes OUT_DIR/run1, run2, run3)

Every value, wall time and file name is fixed, so two runs write byte-identical files. The records are those
EventFileWriter writes (a file_version event, then one event per step), written through the RecordWriter that
EventFileWriter itself uses: EventFileWriter names its file after the clock, host and pid, and stamps its first
event with the clock.
"""

import math
import os
import sys

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.record_writer import RecordWriter

START_WALL_TIME = 1_763_630_000  # 2025-11-20 09:13:20 UTC
STEPS = 50
SECONDS_PER_STEP = 30
# Each run: how fast its loss falls and its final accuracy, so the curves differ visibly.
RUNS = {
    "run1": {"decay": 0.08, "accuracy": 0.92, "learning_rate": 0.1},
    "run2": {"decay": 0.05, "accuracy": 0.88, "learning_rate": 0.05},
    "run3": {"decay": 0.12, "accuracy": 0.95, "learning_rate": 0.2},
}


def scalars(step: int, run: dict) -> dict:
    wobble = 0.02 * math.sin(step * 1.7)
    return {
        "loss": 2.3 * math.exp(-run["decay"] * step) + 0.05 + wobble,
        "accuracy": run["accuracy"] * (1 - math.exp(-0.1 * step)),
        "learning_rate": run["learning_rate"] * (0.5 ** (step // 20)),
    }


def write_run(folder: str, run: dict, offset: int) -> None:
    os.makedirs(folder, exist_ok=True)
    start = START_WALL_TIME + offset
    path = os.path.join(folder, f"events.out.tfevents.{start}.pai-emulator.1.0")
    with open(path, "wb") as file:
        writer = RecordWriter(file)
        header = event_pb2.Event(
            wall_time=start,
            file_version="brain.Event:2",
            source_metadata=event_pb2.SourceMetadata(writer="tensorboard.summary.writer.event_file_writer"),
        )
        writer.write(header.SerializeToString())
        for step in range(STEPS):
            values = [summary_pb2.Summary.Value(tag=tag, simple_value=value) for tag, value in scalars(step, run).items()]
            event = event_pb2.Event(wall_time=start + step * SECONDS_PER_STEP, step=step, summary=summary_pb2.Summary(value=values))
            writer.write(event.SerializeToString())
        writer.flush()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    for index, (name, run) in enumerate(RUNS.items()):
        write_run(os.path.join(out, name), run, offset=index * 3600)
    print(f"[makeSampleLogs] wrote {', '.join(RUNS)} into {out}")


if __name__ == "__main__":
    main()
