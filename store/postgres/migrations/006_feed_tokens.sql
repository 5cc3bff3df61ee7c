-- Each member's private calendar-feed token (/ics/TOKEN.ics); a reset replaces it, and the old
-- URL stops working. One per person, whatever units they are in.
create table feed_tokens (
    user_id    text primary key,
    token      text not null unique,
    created_at timestamptz not null default now()
);
