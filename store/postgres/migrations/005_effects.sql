-- An inbound message's effect (a completion, an undo, a figure, a void) is recorded here under
-- its effect key (bot.EffectKey) in the transaction of the effect, so a WeCom retry finds it
-- even when Redis lost the message id; ref is what the effect made (a figure's id).
alter table inbound_messages add column ref text not null default '';
