-- A custom selection belongs to one item (cloud-server lines, hosting lines, ...): saving one for an item makes that
-- item's later lines start unselected, not every item's. Pools that had a selection keep it for every line item.
alter table pool add column custom_selection_items text[] not null default '{}';
update pool set custom_selection_items = array['cloud-server-lines', 'hosting-lines', 'hosting-power-options', 'bare-metal-lines',
                                               'bare-metal-disk-models']
 where custom_selection;
alter table pool drop column custom_selection;
