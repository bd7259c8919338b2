-- OSRM profile (api_version 4, OSRM 26.10) for silkroute's road graph as
-- written by `crates/graph/examples/export_osm.rs`: every way with a
-- `highway` tag is routable in both directions, with no turn, u-turn or
-- traffic-signal penalties and no turn restrictions.
--
-- The duration (and so the weight) of a way is its silkroute length in
-- metres divided by 10, taken from the way's `silkroute:length_m` tag: OSRM
-- spreads a way's duration over its segments, stores it in 0.1 s units, so
-- a way's weight is its length to the metre and OSRM's shortest path by
-- weight is silkroute's shortest path by length. Ways without the tag fall
-- back to 36 km/h (10 m/s) over OSRM's own segment length, which is the same
-- relation for a hand-made file.
--
-- OSRM's reported `distance` is not read from the tag: it is OSRM's own
-- length of the segments, computed from the node coordinates (see
-- bench/osrm/README.md for how it relates to silkroute's lengths).
--
-- Written for this benchmark; not derived from OSRM's car.lua.

api_version = 4

function setup()
  return {
    properties = {
      weight_name = 'duration',
      -- 0.1 s resolution, the same as durations: 1 m of length.
      weight_precision = 1,
      max_speed_for_map_matching = 36 / 3.6,
      u_turn_penalty = 0,
      traffic_signal_penalty = 0,
      continue_straight_at_waypoint = false,
      use_turn_restrictions = false,
      process_call_tagless_node = false,
    },
    default_mode = mode.driving,
  }
end

function process_node(profile, node, result, relations)
end

function process_way(profile, way, result, relations)
  local highway = way:get_value_by_key('highway')
  if not highway or highway == '' then
    return
  end
  result.forward_mode = mode.driving
  result.backward_mode = mode.driving
  local length = tonumber(way:get_value_by_key('silkroute:length_m'))
  if length and length > 0 then
    -- A way-level duration in seconds; OSRM distributes it over the way's
    -- segments and uses it as the weight too.
    result.duration = length / 10
    result.weight = length / 10
  else
    result.forward_speed = 36
    result.backward_speed = 36
  end
end

function process_turn(profile, turn)
  turn.duration = 0
  turn.weight = 0
end

return {
  setup = setup,
  process_way = process_way,
  process_node = process_node,
  process_turn = process_turn,
}
