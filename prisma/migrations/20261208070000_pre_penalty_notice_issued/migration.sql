-- A pre-penalty notice is issued first and its service recorded later (行政处罚法 Art. 44, 61): the case waits in
-- this state, with no period running, until the service is recorded.
ALTER TYPE "case_state" ADD VALUE 'pre_penalty_notice_issued' BEFORE 'pre_penalty_notified';
