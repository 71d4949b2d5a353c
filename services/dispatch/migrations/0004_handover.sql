-- R-OP-3: shift handover (交接班). Both people sign; open items stay listed, handover after handover,
-- until someone closes them; an important item still open (not escalated) refuses the handover.

CREATE TABLE handovers (
    handover_id        text PRIMARY KEY,
    group_id           text NOT NULL,
    estate_id          text NOT NULL,
    service_center     text NOT NULL,
    duty_date          date NOT NULL,
    outgoing_id        text NOT NULL,
    incoming_id        text NOT NULL CHECK (incoming_id <> outgoing_id),
    notes              text,
    status             text NOT NULL DEFAULT 'awaiting_incoming'
                       CHECK (status IN ('awaiting_incoming', 'completed')),
    outgoing_signed_at timestamptz NOT NULL,
    incoming_signed_at timestamptz,
    CHECK ((status = 'completed') = (incoming_signed_at IS NOT NULL))
);
CREATE INDEX handovers_by_center ON handovers (group_id, estate_id, service_center, outgoing_signed_at);

CREATE TABLE handover_items (
    item_id         text PRIMARY KEY,
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- the order items were opened in
    group_id        text NOT NULL,
    estate_id       text NOT NULL,
    service_center  text NOT NULL,
    title           text NOT NULL,
    detail          text,
    important       boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'escalated', 'closed')),
    opened_by       text NOT NULL,
    opened_at       timestamptz NOT NULL,
    opened_in       text REFERENCES handovers (handover_id),
    escalated_to    text,
    escalated_by    text,
    escalated_at    timestamptz,
    escalation_note text,
    closed_by       text,
    closed_at       timestamptz,
    close_note      text
);
CREATE INDEX handover_items_open ON handover_items (group_id, estate_id, service_center) WHERE status <> 'closed';

-- What each handover carried over, with the item's status at that moment (the signed record).
CREATE TABLE handover_carried (
    handover_id        text NOT NULL REFERENCES handovers (handover_id),
    item_id            text NOT NULL REFERENCES handover_items (item_id),
    status_at_handover text NOT NULL,
    PRIMARY KEY (handover_id, item_id)
);
