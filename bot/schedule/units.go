package schedule

import (
	"fmt"
	"sync"

	"github.com/riverqueue/river/rivertype"

	"github.com/planbot/planbot/bot"
)

// registry is which periodic jobs this scheduler holds per unit, so a watcher can bring them in
// line with the units as they are now (planbot serve re-reads the units every half minute).
type registry struct {
	mu    sync.Mutex
	units map[int64]registered
}

type registered struct {
	key     string // what the jobs were built from: name, zone and schedule settings
	handles []rivertype.PeriodicJobHandle
}

// scheduleKey is what a unit's periodic jobs depend on; a change of it re-registers them.
func (s *Scheduler) scheduleKey(t bot.Team) string {
	return fmt.Sprintf("%s|%s|%+v", t.Name, TeamLocation(t), s.teamConfig(t))
}

// SyncTeams makes the periodic jobs match teams: a new unit gets its jobs, a unit whose name,
// zone or schedule changed gets them anew, and a removed unit, or one no longer listed, loses
// them. Every replica calls it with the units it read; only the elected leader enqueues, and a
// run is unique per (unit, kind, day), so a unit added on one replica is scheduled once. A unit
// whose settings do not parse keeps its old jobs and is reported; the others are still synced.
func (s *Scheduler) SyncTeams(teams []bot.Team) error {
	if !s.d.Periodic {
		return nil
	}
	s.reg.mu.Lock()
	defer s.reg.mu.Unlock()
	if s.reg.units == nil {
		s.reg.units = map[int64]registered{}
	}
	bundle := s.client.PeriodicJobs()
	live := make(map[int64]bool, len(teams))
	var firstErr error
	for _, t := range teams {
		if t.Removed {
			continue
		}
		live[t.ID] = true
		key := s.scheduleKey(t)
		old, ok := s.reg.units[t.ID]
		if ok && old.key == key {
			continue
		}
		pjs, err := s.periodicJobs(t)
		if err == nil {
			var hs []rivertype.PeriodicJobHandle
			if hs, err = bundle.AddManySafely(pjs); err == nil {
				if ok {
					bundle.RemoveMany(old.handles)
				}
				s.reg.units[t.ID] = registered{key: key, handles: hs}
				continue
			}
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	for id, r := range s.reg.units {
		if !live[id] {
			bundle.RemoveMany(r.handles)
			delete(s.reg.units, id)
		}
	}
	return firstErr
}

// Scheduled lists the ids of the units this scheduler holds periodic jobs for (tests, metrics).
func (s *Scheduler) Scheduled() map[int64]bool {
	s.reg.mu.Lock()
	defer s.reg.mu.Unlock()
	out := make(map[int64]bool, len(s.reg.units))
	for id := range s.reg.units {
		out[id] = true
	}
	return out
}
