/// The ledger: voucher accounts and append-only entries whose invariants the database enforces.
enum SchemaV3 {
    static let ledger = """
        -- One voucher account per enterprise and year. limit_fen is the effective quota less
        -- used_before, as of the latest review that touched the account (it can be negative).
        CREATE TABLE voucher_accounts (
            id          bigserial PRIMARY KEY,
            uscc        text NOT NULL,
            year        integer NOT NULL,
            limit_fen   bigint NOT NULL,
            reserved_fen bigint NOT NULL DEFAULT 0 CHECK (reserved_fen >= 0),
            paid_fen    bigint NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
            UNIQUE (uscc, year)
        );

        -- Append-only. A correction is a new entry naming the one it corrects.
        --   reservation  +reserved                  (review)
        --   release      -reserved, corrects a reservation (withdrawn, or dropped by a rerun)
        --   payment      -reserved +paid, corrects a reservation (disbursed)
        --   return       +reserved -paid, corrects a payment or repayment (bank returned it)
        --   repayment    -reserved +paid, corrects a return (paid again)
        --   supplement   -reserved +paid, corrects a reservation: the difference a rerun found owed on a paid item
        --   overpayment  no balance effect: a rerun found less was owed; finance recovers it
        CREATE TABLE ledger_entries (
            id          bigserial PRIMARY KEY,
            run_id      bigint NOT NULL REFERENCES runs,
            account_id  bigint NOT NULL REFERENCES voucher_accounts,
            month       text NOT NULL,
            request_id  text NOT NULL,
            revision    integer NOT NULL,
            kind        text NOT NULL CHECK (kind IN ('reservation', 'release', 'payment', 'return',
                                                      'repayment', 'supplement', 'overpayment')),
            amount      bigint NOT NULL CHECK (amount >= 0),
            corrects    bigint REFERENCES ledger_entries,
            payment_id  text,
            note        text,
            CHECK ((kind IN ('release', 'payment', 'supplement', 'return', 'repayment')) = (corrects IS NOT NULL)),
            CHECK ((kind IN ('payment', 'repayment', 'supplement')) = (payment_id IS NOT NULL))
        );
        -- An entry is corrected at most once (released, paid or returned).
        CREATE UNIQUE INDEX ledger_entries_corrected_once ON ledger_entries (corrects) WHERE corrects IS NOT NULL;
        -- A request is paid at most once per revision (repayments follow returns; supplements are explicit).
        CREATE UNIQUE INDEX ledger_entries_paid_once ON ledger_entries (request_id, revision) WHERE kind = 'payment';
        -- Every payment line's EndToEndId is unique for all time.
        CREATE UNIQUE INDEX ledger_entries_payment_id ON ledger_entries (payment_id) WHERE payment_id IS NOT NULL;
        CREATE INDEX ledger_entries_by_request ON ledger_entries (request_id);
        CREATE INDEX ledger_entries_by_month ON ledger_entries (month, kind);

        CREATE FUNCTION ledger_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'ledger entries are append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger_entries
            FOR EACH ROW EXECUTE FUNCTION ledger_forbid_change();
        CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger_entries
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_forbid_change();

        -- Keeps voucher_accounts in step with the entries and refuses any statement that would
        -- overspend an account or leave a request with two live reservations. The account rows
        -- are locked by the UPDATE, so concurrent sessions serialise on them. Every check walks
        -- the statement's own rows with index lookups, so its cost follows the statement's size,
        -- not the ledger's.
        CREATE FUNCTION ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            entry record;
            corrected record;
            account record;
            changed record;
            live integer;
        BEGIN
            FOR entry IN SELECT * FROM new_entries WHERE corrects IS NOT NULL LOOP
                SELECT kind, amount, account_id, request_id INTO corrected FROM ledger_entries WHERE id = entry.corrects;
                IF NOT ((entry.kind IN ('release', 'payment', 'supplement') AND corrected.kind = 'reservation')
                        OR (entry.kind = 'return' AND corrected.kind IN ('payment', 'repayment', 'supplement'))
                        OR (entry.kind = 'repayment' AND corrected.kind = 'return'))
                   OR entry.amount <> corrected.amount OR entry.account_id <> corrected.account_id
                   OR entry.request_id <> corrected.request_id THEN
                    RAISE EXCEPTION 'ledger entry % (%) cannot correct entry % (%): kind, account, request and amount must match',
                        entry.id, entry.kind, entry.corrects, corrected.kind
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;

            FOR changed IN
                SELECT account_id,
                       sum(CASE kind WHEN 'reservation' THEN amount WHEN 'return' THEN amount
                                     WHEN 'release' THEN -amount WHEN 'payment' THEN -amount
                                     WHEN 'supplement' THEN -amount WHEN 'repayment' THEN -amount
                                     ELSE 0 END) AS reserved,
                       sum(CASE kind WHEN 'payment' THEN amount WHEN 'repayment' THEN amount
                                     WHEN 'supplement' THEN amount WHEN 'return' THEN -amount
                                     ELSE 0 END) AS paid,
                       bool_or(kind = 'reservation') AS grows
                  FROM new_entries GROUP BY account_id
            LOOP
                UPDATE voucher_accounts
                   SET reserved_fen = reserved_fen + changed.reserved, paid_fen = paid_fen + changed.paid
                 WHERE id = changed.account_id
                RETURNING uscc, year, limit_fen, reserved_fen, paid_fen INTO account;
                IF changed.grows AND account.reserved_fen + account.paid_fen > greatest(account.limit_fen, 0) THEN
                    RAISE EXCEPTION 'voucher account %/% would be overspent: reserved % + paid % > limit %',
                        account.uscc, account.year, account.reserved_fen, account.paid_fen, account.limit_fen
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;

            FOR entry IN SELECT DISTINCT request_id FROM new_entries WHERE kind = 'reservation' LOOP
                SELECT count(*) INTO live FROM ledger_entries r
                 WHERE r.request_id = entry.request_id AND r.kind = 'reservation'
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = r.id);
                IF live > 1 THEN
                    RAISE EXCEPTION 'request % would hold % live reservations; it may hold one', entry.request_id, live
                        USING ERRCODE = 'check_violation';
                END IF;
            END LOOP;
            RETURN NULL;
        END $$;
        CREATE TRIGGER ledger_apply AFTER INSERT ON ledger_entries
            REFERENCING NEW TABLE AS new_entries
            FOR EACH STATEMENT EXECUTE FUNCTION ledger_apply();
        """
}
