"""The serving demo's follower: its own batches are projected when they land, not at the next poll."""
import asyncio
import threading

from tally.live import Follower

HOUR = 3600.0  # a poll that never comes within the test


class CountingProjector:
    def __init__(self) -> None:
        self.rounds = 0
        self.more = asyncio.Event()
        self._loop = asyncio.get_running_loop()

    def catch_up(self) -> None:  # runs in a worker thread, as the real one does
        self.rounds += 1
        self._loop.call_soon_threadsafe(self.more.set)


async def rounds_after(projector: CountingProjector, count: int) -> int:
    while projector.rounds < count:
        projector.more.clear()
        await asyncio.wait_for(projector.more.wait(), 30)
    return projector.rounds


def test_a_wake_from_another_thread_projects_at_once_without_waiting_for_the_poll():
    async def scenario() -> tuple[int, int]:
        projector = CountingProjector()
        follower = Follower(projector, poll_s=HOUR)  # type: ignore[arg-type]
        running = asyncio.create_task(follower.run())
        first = await rounds_after(projector, 1)  # the round every start makes
        waker = threading.Thread(target=follower.wake)  # the ingest's thread
        waker.start()
        waker.join()
        second = await rounds_after(projector, 2)
        running.cancel()
        return first, second

    assert asyncio.run(scenario()) == (1, 2)


def test_without_a_wake_the_follower_waits_for_its_poll():
    async def scenario() -> int:
        projector = CountingProjector()
        running = asyncio.create_task(Follower(projector, poll_s=HOUR).run())  # type: ignore[arg-type]
        await rounds_after(projector, 1)
        await asyncio.sleep(0.3)  # time enough for a round, were one due
        running.cancel()
        return projector.rounds

    assert asyncio.run(scenario()) == 1
