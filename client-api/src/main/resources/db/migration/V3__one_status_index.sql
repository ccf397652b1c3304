-- The expiry sweep looks for tasks that are still queued or running: few at any time (at most the tasks in
-- flight, and the backlog the broker's task queue holds), so tasks_status_created_at_idx finds them and
-- their deadlines are tested there. An index of its own on (status, deadline) cost every task an entry on
-- insert and a rewrite when it ended, for a lookup that the status index already narrows to those few.
DROP INDEX tasks_status_deadline_idx;
